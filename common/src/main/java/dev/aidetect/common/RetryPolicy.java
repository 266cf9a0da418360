package dev.aidetect.common;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often, and how patiently, a transient failure (an image store answering 503, a refused connection, a broker
 * error) is tried again before it becomes a rejection: at most {@code maxAttempts} attempts, the pause before each
 * next one doubling from {@code initialBackoff} up to {@code maxBackoff} (each pause half fixed, half random, so that
 * callers failing together do not retry together), and no attempt started once {@code maxTotal} has passed since the
 * first. The caller decides what is transient; a policy only paces the attempts:
 *
 * <pre>{@code
 * RetryPolicy.Attempts attempts = policy.start();
 * while (true) {
 *     try {
 *         return call();
 *     } catch (TransientException e) {
 *         if (!attempts.pauseBeforeNext()) {
 *             throw giveUp(e, attempts.made(), attempts.elapsed());
 *         }
 *     }
 * }
 * }</pre>
 *
 * @param maxAttempts the most attempts, the first included (1: never retried)
 * @param initialBackoff the longest pause before the second attempt; each later one may be twice the one before
 * @param maxBackoff the longest any pause may be
 * @param maxTotal no attempt starts later than this after the first began (one that is running is not cut short)
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxTotal) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1 (1: no retries), not " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.isNegative() || maxTotal.isNegative()) {
            throw new IllegalArgumentException("backoffs and the total time must not be negative: initial "
                    + initialBackoff + ", max " + maxBackoff + ", total " + maxTotal);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("the longest pause (" + maxBackoff + ") must not be shorter than the "
                    + "first (" + initialBackoff + ")");
        }
    }

    /** Starts counting the attempts of one operation; its first attempt begins now. */
    public Attempts start() {
        return new Attempts(this, System.nanoTime());
    }

    /**
     * The longest pause before attempt {@code next} (2 or more): {@code initialBackoff} doubled for every attempt after
     * the second, at most {@code maxBackoff}.
     */
    public Duration backoffCap(int next) {
        int doublings = Math.min(next - 2, 30); // 2^30 times any useful backoff is past every max
        long nanos = initialBackoff.toNanos();
        for (int i = 0; i < doublings && nanos < maxBackoff.toNanos(); i++) {
            nanos *= 2;
        }
        return Duration.ofNanos(Math.min(nanos, maxBackoff.toNanos()));
    }

    /** The attempts of one operation so far. Not thread-safe: one operation, one thread. */
    public static final class Attempts {
        private final RetryPolicy policy;
        private final long startNanos;
        private int made = 1;

        private Attempts(RetryPolicy policy, long startNanos) {
            this.policy = policy;
            this.startNanos = startNanos;
        }

        /**
         * After a transient failure: sleeps before the next attempt and returns true, or returns false at once when no
         * attempt is left, or the pause would end past {@code maxTotal}, or the thread is interrupted (its interrupt
         * flag is set again).
         */
        public boolean pauseBeforeNext() {
            if (made >= policy.maxAttempts()) {
                return false;
            }
            long cap = policy.backoffCap(made + 1).toNanos();
            long pause = cap / 2 + (cap < 2 ? 0 : ThreadLocalRandom.current().nextLong(cap - cap / 2 + 1));
            if (System.nanoTime() - startNanos + pause > policy.maxTotal().toNanos()) {
                return false;
            }
            try {
                Thread.sleep(Duration.ofNanos(pause));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            made++;
            return true;
        }

        /** The attempts made so far, the first included. */
        public int made() {
            return made;
        }

        /** The time since the first attempt began. */
        public Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - startNanos);
        }
    }
}
