package dev.aidetect.fetch;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Resolves a host name within a fetch's deadline. The JDK's lookup has no timeout of its own (the system resolver's
 * retries can take tens of seconds) and cannot be interrupted, so it runs on a small pool of its own and the fetch
 * waits only as long as its deadline allows; a hung lookup holds a pool thread, never the caller.
 */
final class HostLookup {

    /** How host names become addresses: the system resolver in service, a scripted one in tests. */
    @FunctionalInterface
    interface HostResolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** Lookups that run at once; more wait in a queue of {@link #QUEUED}, and beyond that a fetch is refused. */
    private static final int THREADS = 8;
    private static final int QUEUED = 256;
    private static final ThreadPoolExecutor POOL = pool();

    private final HostResolver resolver;

    HostLookup(HostResolver resolver) {
        this.resolver = resolver;
    }

    List<InetAddress> resolve(String host, FetchDeadline deadline) throws IOException {
        deadline.enter(FetchDeadline.Phase.DNS);
        Future<InetAddress[]> answer;
        try {
            answer = POOL.submit(() -> resolver.resolve(host));
        } catch (RejectedExecutionException e) {
            throw new IOException(THREADS + " DNS lookups are running and " + QUEUED + " more are waiting (a resolver "
                    + "that does not answer?): check the embedder host's resolver (/etc/resolv.conf)", e);
        }
        try {
            return List.of(answer.get(deadline.remainingNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            throw deadline.expired(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException failure
                    ? failure
                    : new IOException("looking up " + host + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw (IOException) new InterruptedIOException("interrupted looking up " + host).initCause(e);
        } finally {
            answer.cancel(true); // a lookup still running is not waited for; one that ignores interrupts runs out
        }
    }

    private static ThreadPoolExecutor pool() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUED), Thread.ofPlatform().name("fetch-dns-", 0).daemon().factory());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
