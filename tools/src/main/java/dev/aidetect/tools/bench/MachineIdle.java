package dev.aidetect.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The share of the machine's CPU time that went idle since construction, from the kernel's counters in
 * {@code /proc/stat}: compared across modes it tells a pipeline that leaves cores waiting from one that spends them.
 */
final class MachineIdle {
    private static final Path STAT = Path.of("/proc/stat");

    private final long[] start = counters();

    /** "machine idle N% of the timed window", or an empty string where /proc/stat cannot be read. */
    String report() {
        long[] end = counters();
        if (start.length == 0 || end.length == 0) {
            return "";
        }
        long total = end[0] - start[0];
        return total <= 0
                ? ""
                : String.format(Locale.ROOT, "machine idle %.1f%% of the timed window", 100.0 * (end[1] - start[1])
                        / total);
    }

    /** {total, idle + iowait} jiffies of all CPUs, or an empty array. */
    private static long[] counters() {
        try {
            String[] fields = Files.readAllLines(STAT).getFirst().trim().split("\\s+");
            long[] values = Arrays.stream(fields, 1, fields.length).mapToLong(Long::parseLong).toArray();
            // user nice system idle iowait irq softirq steal guest guest_nice; guests are already in user and nice
            long total = Arrays.stream(values, 0, Math.min(8, values.length)).sum();
            return new long[]{total, values[3] + values[4]};
        } catch (IOException | RuntimeException e) {
            return new long[0];
        }
    }
}
