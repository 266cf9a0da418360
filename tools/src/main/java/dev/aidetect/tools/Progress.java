package dev.aidetect.tools;

import java.util.function.Consumer;
import java.util.function.IntConsumer;

/** One self-overwriting progress line on standard error, so long work shows that it moves. */
final class Progress {
    private Progress() {
    }

    /** A counter that prints "label n/total" at most every 5% and once at the end. */
    static IntConsumer counter(String label, int total) {
        int step = Math.max(1, total / 20);
        return done -> {
            if (done % step == 0 || done == total) {
                System.err.printf("\r  %s %d/%d", label, done, total);
                if (done == total) {
                    System.err.println();
                }
            }
        };
    }

    /** Status lines on one self-overwriting line; a line starting with "done" stays. */
    static Consumer<String> lines(String label) {
        return line -> {
            System.err.printf("\r  %s %-50s", label, line);
            if (line.startsWith("done")) {
                System.err.println();
            }
        };
    }
}
