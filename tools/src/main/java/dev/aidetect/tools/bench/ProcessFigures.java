package dev.aidetect.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time and peak memory of the processes a benchmark phase runs (the services, the broker, this client), read from
 * the kernel: user + system time from {@code /proc/<pid>/stat}, the resident-set high-water mark (VmHWM) from
 * {@code /proc/<pid>/status}. {@link #mark()} takes the CPU counters at the start of a timed window; {@link #since}
 * gives each process's CPU seconds from then on.
 */
final class ProcessFigures {
    /** The kernel's clock ticks per second for /proc/PID/stat times (USER_HZ: 100 on every Linux ABI in use). */
    private static final double TICKS_PER_SECOND = 100;

    /** What one process used in a timed window, and its peak resident memory over its whole life. */
    record Usage(double cpuSeconds, double peakRssMb) {
    }

    private final Map<String, Long> pids;

    /** @param pids the processes by the name the report gives them, in report order */
    ProcessFigures(Map<String, Long> pids) {
        this.pids = new LinkedHashMap<>(pids);
    }

    /** The CPU seconds each process has used so far (NaN where /proc cannot be read). */
    Map<String, Double> mark() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        pids.forEach((name, pid) -> cpu.put(name, cpuSeconds(pid)));
        return cpu;
    }

    /** Each process's CPU seconds since {@code start} (a {@link #mark()}) and its peak RSS now. */
    Map<String, Usage> since(Map<String, Double> start) {
        Map<String, Double> end = mark();
        Map<String, Usage> usage = new LinkedHashMap<>();
        pids.forEach((name, pid) -> usage.put(name, new Usage(end.get(name) - start.getOrDefault(name, Double.NaN),
                ModeResult.peakRssKb(pid) / 1024.0)));
        return usage;
    }

    /** User + system CPU seconds of a process, from the 14th and 15th fields of /proc/PID/stat; NaN if unreadable. */
    static double cpuSeconds(long pid) {
        try {
            return parseCpuTicks(Files.readString(Path.of("/proc/" + pid + "/stat"))) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * utime + stime of a /proc/PID/stat line. The command name (field 2) is in parentheses and may hold spaces, so the
     * fields are counted from the last closing parenthesis: state is field 3, utime 14, stime 15.
     */
    static long parseCpuTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
    }
}
