package dev.aidetect.fetch;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.util.Timeout;

/**
 * The time one fetch may take, from the DNS lookup to the last body byte, and the phase the fetch is in. The request
 * handed to {@link #cancelAtExpiry} is cancelled when the time is up (HttpClient then closes its connection): a socket
 * read timeout alone restarts with every byte that arrives, so a server that trickles its TLS handshake or body could
 * hold the fetch far past its timeout.
 */
final class FetchDeadline implements AutoCloseable {

    /** What the fetch is doing, as a timeout message names it. */
    enum Phase {
        DNS("DNS lookup"), CONNECT("connect"), TLS("TLS handshake"), HEADERS("response headers"), BODY("response body");

        private final String label;

        Phase(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** The fetch ran out of time in the phase its message names. */
    static final class ExpiredException extends SocketTimeoutException {
        ExpiredException(Phase phase, Duration elapsed, Throwable cause) {
            super("timed out in the " + phase + " after " + elapsed.toMillis() + " ms");
            initCause(cause);
        }
    }

    /**
     * The deadline of the fetch running on this thread, for the parts of HttpClient that call back into the fetch
     * (DNS, TLS, the exec chain) without a way to pass it: the classic client runs a request on the caller's thread.
     */
    static final ScopedValue<FetchDeadline> CURRENT = ScopedValue.newInstance();

    private static final ScheduledThreadPoolExecutor CANCELLER = canceller();

    private final long startNanos = System.nanoTime();
    private final long endNanos;
    private volatile Phase phase = Phase.DNS;
    private ScheduledFuture<?> pendingCancel;

    FetchDeadline(Duration timeout) {
        this.endNanos = startNanos + timeout.toNanos();
    }

    /** The deadline of the fetch on this thread. */
    static FetchDeadline current() {
        return CURRENT.orElseThrow(() -> new IllegalStateException("no fetch is running on this thread"));
    }

    /** Moves on to {@code next}, unless the time is already up. */
    void enter(Phase next) throws ExpiredException {
        phase = next;
        remainingNanos();
    }

    long remainingNanos() throws ExpiredException {
        long left = endNanos - System.nanoTime();
        if (left <= 0) {
            throw expired(null);
        }
        return left;
    }

    /** Time left, rounded up to whole ms (so at least 1: a timeout of 0 would wait forever). */
    Timeout remaining() throws ExpiredException {
        return Timeout.ofMilliseconds((remainingNanos() + 999_999) / 1_000_000);
    }

    boolean passed() {
        return endNanos - System.nanoTime() <= 0;
    }

    /** This deadline's expiry, in the current phase, caused by {@code cause} (returned as is if it is one). */
    ExpiredException expired(Throwable cause) {
        return cause instanceof ExpiredException expired
                ? expired
                : new ExpiredException(phase, Duration.ofNanos(System.nanoTime() - startNanos), cause);
    }

    /** Cancels {@code request} at the deadline (at once if it has passed). */
    void cancelAtExpiry(Cancellable request) {
        pendingCancel = CANCELLER.schedule(request::cancel, endNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    /** Stops the pending cancel: the fetch is over. */
    @Override
    public void close() {
        if (pendingCancel != null) {
            pendingCancel.cancel(false);
        }
    }

    private static ScheduledThreadPoolExecutor canceller() {
        ScheduledThreadPoolExecutor canceller = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("fetch-deadline").daemon().factory());
        canceller.setRemoveOnCancelPolicy(true); // most fetches end in time: keep their cancelled tasks off the queue
        return canceller;
    }
}
