package dev.aidetect.tools.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * How long work shows that it moves: a progress bar (with rate and time left) when standard error is a terminal, and
 * one line per tenth of the work when it is a log file or a pipe, so logs stay readable.
 */
public final class Progress {
    private Progress() {
    }

    /** Whether progress goes to a person watching a terminal (self-overwriting bars) rather than to a log. */
    public static boolean interactive() {
        return System.console() != null && System.console().isTerminal();
    }

    /**
     * A counter of {@code total} steps, fed the number done so far; it ends its bar or prints its last line when
     * {@code done == total}.
     */
    public static IntConsumer counter(String label, int total, PrintWriter log) {
        if (total <= 0) {
            return done -> {
            };
        }
        if (interactive()) {
            ProgressBar bar = new ProgressBarBuilder().setTaskName("  " + label).setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).showSpeed()
                    .setMaxRenderedLength(100).build();
            return done -> {
                bar.stepTo(done);
                if (done >= total) {
                    bar.close();
                }
            };
        }
        int step = Math.max(1, total / 10);
        long start = System.nanoTime();
        AtomicInteger printed = new AtomicInteger(-1);
        return done -> {
            // A line per step passed, also when counts come in jumps (a chunk done at once); a count told twice (the
            // end, once by the work and once by its caller) prints once.
            int mark = done >= total ? total : done - done % step;
            if ((mark > 0 || done == 0) && printed.getAndAccumulate(mark, Math::max) < mark) {
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                log.printf("  %s %d/%d (%d%%, %d s)%n", label, done, total, 100L * done / total, took.toSeconds());
                log.flush();
            }
        };
    }

    /**
     * Status lines of work that has no count (cross-validation folds): on a terminal they overwrite each other and a
     * line starting with "done" stays; in a log each is a line of its own.
     */
    public static Consumer<String> lines(String label, PrintWriter log) {
        boolean interactive = interactive();
        return line -> {
            if (interactive) {
                log.printf("\r  %s %-60s", label, line);
                if (line.startsWith("done")) {
                    log.println();
                }
            } else {
                log.printf("  %s %s%n", label, line);
            }
            log.flush();
        };
    }
}
