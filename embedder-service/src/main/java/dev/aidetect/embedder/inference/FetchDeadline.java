package dev.aidetect.embedder.inference;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * The time one fetch may take, from the DNS lookup to the last body byte, and the phase the fetch is in. The socket
 * handed to {@link #guard} is closed when the time is up: a socket read timeout alone restarts with every byte that
 * arrives, so a server that trickles its TLS handshake or body could hold the fetch far past its timeout.
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

    /** The fetch ran out of time in {@link #phase()}, {@link #elapsed()} after it began. */
    static final class ExpiredException extends SocketTimeoutException {
        private final Phase phase;
        private final Duration elapsed;

        ExpiredException(Phase phase, Duration elapsed, Throwable cause) {
            super("timed out in the " + phase + " after " + elapsed.toMillis() + " ms");
            this.phase = phase;
            this.elapsed = elapsed;
            initCause(cause);
        }

        Phase phase() {
            return phase;
        }

        Duration elapsed() {
            return elapsed;
        }
    }

    private static final Logger LOG = Logger.getLogger(FetchDeadline.class);
    private static final ScheduledThreadPoolExecutor CLOSER = closer();

    private final long startNanos = System.nanoTime();
    private final long endNanos;
    private volatile Phase phase = Phase.DNS;
    private ScheduledFuture<?> pendingClose;

    FetchDeadline(Duration timeout) {
        this.endNanos = startNanos + timeout.toNanos();
    }

    Phase phase() {
        return phase;
    }

    /** Moves on to {@code next}, unless the time is already up. */
    void enter(Phase next) throws ExpiredException {
        phase = next;
        remainingNanos();
    }

    /** Time left, rounded up to whole ms (so at least 1: a socket timeout of 0 would wait forever). */
    int remainingMillis() throws ExpiredException {
        return (int) Math.min((remainingNanos() + 999_999) / 1_000_000, Integer.MAX_VALUE);
    }

    long remainingNanos() throws ExpiredException {
        long left = endNanos - System.nanoTime();
        if (left <= 0) {
            throw expired(null);
        }
        return left;
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

    /** Closes {@code socket} at the deadline (at once if it has passed), instead of any socket guarded before. */
    void guard(Socket socket) {
        close();
        pendingClose = CLOSER.schedule(() -> closeAtDeadline(socket), endNanos - System.nanoTime(),
                TimeUnit.NANOSECONDS);
    }

    /** Stops guarding: the fetch is over. */
    @Override
    public void close() {
        if (pendingClose != null) {
            pendingClose.cancel(false);
        }
    }

    private static void closeAtDeadline(Socket socket) {
        try {
            socket.close(); // the fetch thread's blocked connect, handshake or read fails, and is reported as expired
        } catch (IOException e) {
            LOG.debugf(e, "closing a fetch socket at its deadline failed");
        }
    }

    private static ScheduledThreadPoolExecutor closer() {
        ScheduledThreadPoolExecutor closer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("fetch-deadline").daemon().factory());
        closer.setRemoveOnCancelPolicy(true); // most fetches end in time: keep their cancelled closes off the queue
        return closer;
    }
}
