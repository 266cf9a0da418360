package dev.aidetect.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What one benchmark mode measured: how many images, the seconds from the first hand-over to the last result, each
 * image's latency (hand-over to result, every image offered at the start) and the peak resident memory (VmHWM) of the
 * process that did the work. Child processes print it as one JSON line.
 */
public record ModeResult(String mode, int images, double seconds, double[] latenciesMs, long peakRssKb) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public double imagesPerSecond() {
        return images / seconds;
    }

    /** Nearest-rank percentile of the latencies, in milliseconds. */
    public double latencyMs(double percentile) {
        double[] sorted = latenciesMs.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100 * sorted.length);
        return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)];
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a benchmark result as JSON", e);
        }
    }

    /** The result in the last line of a worker's output that holds one. */
    public static ModeResult parseLastOf(List<String> lines, String worker) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith("{\"mode\"")) {
                try {
                    return JSON.readValue(lines.get(i), ModeResult.class);
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(worker + " printed a result that is not valid: " + lines.get(i),
                            e);
                }
            }
        }
        throw new IllegalStateException(worker + " printed no result line; its output ended with: "
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size())));
    }

    /** Peak resident memory of a process (VmHWM in /proc/PID/status), in KiB; 0 where /proc is not there. */
    public static long peakRssKb(long pid) {
        return statusKb(pid, "VmHWM:");
    }

    /** A memory figure of /proc/PID/status (VmHWM:, VmRSS:), in KiB; 0 where /proc or the process is not there. */
    static long statusKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            // not Linux or the process is gone: memory unknown
        }
        return 0;
    }
}
