package dev.aidetect.tools.bench;

import java.util.Map;

/**
 * What one interval of a soak run measured. Gauges (lag, memory) are sampled every few seconds; an interval keeps the
 * highest and last sample of each, and for memory also the lowest.
 *
 * @param number 1-based
 * @param warmUp whether it belongs to the warm-up (printed, not judged)
 * @param seconds its length
 * @param submitted images sent in it
 * @param finished final verdicts that arrived in it
 * @param p50Ms median latency (send to the arrival of the final) of the finals that arrived in it; NaN when none
 * @param p99Ms 99th percentile of the same (nearest rank)
 * @param lagMax per consumer group: the highest lag sampled (records not yet committed, over its input partitions)
 * @param lagEnd per consumer group: the last lag sampled
 * @param consumedPerSecond per consumer group: records it committed per second over the interval
 * @param rssMb per service process: the lowest, highest and last resident set sampled, in MB
 * @param heapEndMb per service: heap used at the last sample (jvm_memory_used_bytes, area heap, from /q/metrics);
 *        absent where it could not be read
 */
record SoakInterval(int number, boolean warmUp, double seconds, int submitted, int finished, double p50Ms,
        double p99Ms, Map<String, Long> lagMax, Map<String, Long> lagEnd, Map<String, Double> consumedPerSecond,
        Map<String, Range> rssMb, Map<String, Double> heapEndMb) {

    /** Lowest, highest and last of a gauge's samples in an interval. */
    record Range(double min, double max, double last) {
        Range with(double sample) {
            return new Range(Math.min(min, sample), Math.max(max, sample), sample);
        }

        static Range of(double sample) {
            return new Range(sample, sample, sample);
        }
    }

    /** Finals per second. */
    double rate() {
        return finished / seconds;
    }
}
