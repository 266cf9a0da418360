package dev.aidetect.tools.bench;

import java.time.Duration;

/**
 * The timed window of a throughput measurement that runs past a warm-up: fed the progress made so far (finals
 * received, output records written) as it grows, it opens when the progress first reaches the warm-up mark and closes
 * when it reaches the end mark, or when the longest window has passed (the progress at that moment counts). The rate
 * is the progress inside the window over its length, so neither the start-up nor the warm-up weighs in.
 */
final class RateWindow {
    private final double warmUp;
    private final double end;
    private final long maxNanos;
    private long startNanos = -1;
    private long endNanos = -1;
    private double startProgress;
    private double endProgress;
    private double progress;

    /** @param maxLength the longest window, or null for none */
    RateWindow(double warmUp, double end, Duration maxLength) {
        if (end <= warmUp) {
            throw new IllegalArgumentException("the end mark " + end + " must lie past the warm-up mark " + warmUp);
        }
        this.warmUp = warmUp;
        this.end = end;
        this.maxNanos = maxLength == null ? Long.MAX_VALUE : maxLength.toNanos();
    }

    /** Progress {@code now} ({@link System#nanoTime()}); call it also without progress, so the longest window ends. */
    void advance(long now, double progressNow) {
        if (closed()) {
            return;
        }
        if (opened() && now - startNanos >= maxNanos) {
            endNanos = startNanos + maxNanos;
            endProgress = progress;
            return;
        }
        progress = progressNow;
        if (!opened() && progress >= warmUp) {
            startNanos = now;
            startProgress = progress;
        }
        if (opened() && progress >= end) {
            endNanos = now;
            endProgress = progress;
        }
    }

    boolean opened() {
        return startNanos >= 0;
    }

    boolean closed() {
        return endNanos >= 0;
    }

    /** The window's length in seconds (NaN while it is not closed). */
    double seconds() {
        return closed() ? (endNanos - startNanos) / 1e9 : Double.NaN;
    }

    /** The progress made inside the window. */
    double progressInside() {
        return closed() ? endProgress - startProgress : Double.NaN;
    }

    /** Progress per second inside the window (NaN while it is not closed, infinite for a zero-length window). */
    double rate() {
        return progressInside() / seconds();
    }
}
