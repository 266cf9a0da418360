package dev.aidetect.tools.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The judgement at the end of {@code aidetect soak}, on the intervals after the warm-up ("judged"). Four checks:
 * <ul>
 * <li><b>lag bounded</b>, per consumer group: its highest lag in every judged interval stays under the records it
 * consumes in {@value #LAG_BOUND_SECONDS} s (at its mean pace over the judged intervals; at least {@value #LAG_FLOOR}
 * records, since the services commit in batches a few seconds apart), and it does not grow: it fails too when the
 * highest lag rises from each judged interval to the next and the last is above the first by more than
 * {@value #LAG_GROWTH_SECONDS} s of its consumption (a queue that builds up at a steady load);</li>
 * <li><b>RSS flat</b>, per service process: every resident-set sample in the judged intervals within the tolerance
 * (default {@value #RSS_TOLERANCE_PERCENT}%) of the last sample of the warm-up;</li>
 * <li><b>p99 stable</b>: the p99 latency of every judged interval at most {@value #P99_FACTOR} times the first judged
 * interval's plus {@value #P99_SLACK_MS} ms, and every judged interval has finals at all: a p99 of a hundred-odd
 * finals is the second-slowest of them, which scheduling on a shared machine moves by half; a queue that builds at
 * a steady load moves it by far more within an interval;</li>
 * <li><b>one final each</b>: every submitted image got exactly one final verdict, and DECIDED: the soak's images are
 * all valid and the stage timeout longer than any queue at 80% load, so a rejection or a time-out is a failure.</li>
 * </ul>
 */
final class SoakChecks {
    static final int LAG_BOUND_SECONDS = 10;
    static final int LAG_GROWTH_SECONDS = 5;
    static final long LAG_FLOOR = 50;
    static final int RSS_TOLERANCE_PERCENT = 10;
    static final double P99_FACTOR = 2;
    static final double P99_SLACK_MS = 500;

    /** One check's outcome, with the figures that decided it. */
    record Check(String name, boolean passed, String detail) {
    }

    /**
     * What became of the soak's submissions.
     *
     * @param submitted images sent
     * @param missing images without a final verdict at the end
     * @param duplicates final verdicts beyond the first for an image
     * @param notDecided images whose final verdict was REJECTED or TIMED_OUT, by status
     */
    record Finals(int submitted, int missing, int duplicates, Map<String, Integer> notDecided) {
    }

    private SoakChecks() {
    }

    static List<Check> judge(List<SoakInterval> intervals, Finals finals) {
        return judge(intervals, finals, RSS_TOLERANCE_PERCENT);
    }

    /** @param rssTolerancePercent how far from its warm-up value a process's RSS may go */
    static List<Check> judge(List<SoakInterval> intervals, Finals finals, double rssTolerancePercent) {
        List<SoakInterval> judged = intervals.stream().filter(i -> !i.warmUp()).toList();
        SoakInterval lastWarm = intervals.stream().filter(SoakInterval::warmUp).reduce((a, b) -> b).orElse(null);
        if (judged.isEmpty()) {
            throw new IllegalArgumentException("no interval after the warm-up to judge");
        }
        return List.of(lag(judged), rss(judged, lastWarm, rssTolerancePercent), p99(judged), finals(finals));
    }

    static Check lag(List<SoakInterval> judged) {
        Set<String> groups = new LinkedHashSet<>();
        judged.forEach(i -> groups.addAll(i.lagMax().keySet()));
        List<String> failures = new ArrayList<>();
        List<String> figures = new ArrayList<>();
        for (String group : groups) {
            double pace = judged.stream().mapToDouble(i -> i.consumedPerSecond().getOrDefault(group, 0.0)).average()
                    .orElse(0);
            long bound = Math.max(LAG_FLOOR, Math.round(pace * LAG_BOUND_SECONDS));
            long growthMargin = Math.max(LAG_FLOOR, Math.round(pace * LAG_GROWTH_SECONDS));
            List<Long> highs = judged.stream().map(i -> i.lagMax().getOrDefault(group, 0L)).toList();
            long highest = highs.stream().mapToLong(Long::longValue).max().orElse(0);
            boolean rising = highs.size() > 1 && highs.getLast() - highs.getFirst() > growthMargin;
            for (int k = 1; k < highs.size() && rising; k++) {
                rising = highs.get(k) > highs.get(k - 1);
            }
            figures.add(String.format(Locale.ROOT, "%s max %d (bound %d)", shortName(group), highest, bound));
            if (highest > bound) {
                failures.add(String.format(Locale.ROOT, "%s reached %d records, over %d s of its consumption (%d)",
                        shortName(group), highest, LAG_BOUND_SECONDS, bound));
            }
            if (rising) {
                failures.add(String.format(Locale.ROOT, "%s grew in every interval: %s", shortName(group), highs));
            }
        }
        if (groups.isEmpty()) {
            return new Check("lag bounded", false, "no consumer group of the pipeline was seen: are the services "
                    + "running on this cluster?");
        }
        return new Check("lag bounded", failures.isEmpty(),
                String.join("; ", failures.isEmpty() ? figures : failures));
    }

    static Check rss(List<SoakInterval> judged, SoakInterval lastWarm, double tolerancePercent) {
        if (lastWarm == null) {
            return new Check("RSS flat", false, "no warm-up interval: no baseline to compare with");
        }
        List<String> failures = new ArrayList<>();
        List<String> figures = new ArrayList<>();
        for (Map.Entry<String, SoakInterval.Range> base : lastWarm.rssMb().entrySet()) {
            String process = base.getKey();
            double baseline = base.getValue().last();
            double worst = 0;
            for (SoakInterval interval : judged) {
                SoakInterval.Range range = interval.rssMb().get(process);
                if (range == null || Double.isNaN(range.last())) {
                    failures.add(process + " not measured in interval " + interval.number() + " (exited?)");
                    worst = Double.NaN;
                    break;
                }
                for (double sample : new double[]{range.max(), range.min()}) {
                    double change = 100 * (sample - baseline) / baseline;
                    worst = Math.abs(change) > Math.abs(worst) ? change : worst;
                }
            }
            if (Double.isNaN(worst)) {
                continue;
            }
            String figure = String.format(Locale.ROOT, "%s %.0f MB %+.1f%%", process, baseline, worst);
            figures.add(figure);
            if (Math.abs(worst) > tolerancePercent) {
                failures.add(String.format(Locale.ROOT, "%s (over %.0f%%)", figure, tolerancePercent));
            }
        }
        if (lastWarm.rssMb().isEmpty()) {
            return new Check("RSS flat", false, "no process's memory could be read (services on another machine?)");
        }
        return new Check("RSS flat", failures.isEmpty(), String.join("; ", failures.isEmpty() ? figures : failures));
    }

    static Check p99(List<SoakInterval> judged) {
        double first = judged.getFirst().p99Ms();
        double limit = P99_FACTOR * first + P99_SLACK_MS;
        List<String> failures = new ArrayList<>();
        List<String> figures = new ArrayList<>();
        for (SoakInterval interval : judged) {
            figures.add(String.format(Locale.ROOT, "%.0f", interval.p99Ms()));
            if (Double.isNaN(interval.p99Ms())) {
                failures.add("no final verdict arrived in interval " + interval.number());
            } else if (interval.p99Ms() > limit) {
                failures.add(String.format(Locale.ROOT, "interval %d: %.0f ms, over %.1f x %.0f + %.0f = %.0f ms",
                        interval.number(), interval.p99Ms(), P99_FACTOR, first, P99_SLACK_MS, limit));
            }
        }
        return new Check("p99 stable", failures.isEmpty(), failures.isEmpty()
                ? String.format(Locale.ROOT, "p99 ms per judged interval %s, limit %.0f", figures, limit)
                : String.join("; ", failures));
    }

    static Check finals(Finals finals) {
        int notDecided = finals.notDecided().values().stream().mapToInt(Integer::intValue).sum();
        String detail = String.format(Locale.ROOT, "%d images: %d without a final, %d second finals, %d not DECIDED%s",
                finals.submitted(), finals.missing(), finals.duplicates(), notDecided,
                finals.notDecided().isEmpty() ? "" : " " + finals.notDecided());
        return new Check("one final each", finals.missing() == 0 && finals.duplicates() == 0 && notDecided == 0,
                detail);
    }

    /**
     * A consumer group's name as the tables print it: without the project's prefix, and without the random suffix of
     * a per-instance group (the router's verdict stream: {@code aidetect-router-final-stream-<uuid>}).
     */
    static String shortName(String group) {
        String name = group.startsWith(PipelineGauges.GROUP_PREFIX)
                ? group.substring(PipelineGauges.GROUP_PREFIX.length())
                : group;
        return name.replaceFirst("-\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}$", "");
    }
}
