package dev.aidetect.tools.bench;

import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The output of {@code aidetect soak}: a table of the intervals (images sent and finished, img/s, latency), one of
 * each consumer group's lag per interval, one of each service's memory per interval, the four checks with PASS or
 * FAIL, and as the last line {@code soak: PASS|FAIL, ...}.
 */
final class SoakReport {
    private SoakReport() {
    }

    /** Prints the tables and the checks; true when every check passed. */
    static boolean print(PrintWriter out, SoakFeed.Outcome outcome, List<SoakChecks.Check> checks, String run) {
        List<SoakInterval> intervals = outcome.intervals();
        out.printf(Locale.ROOT, "%n%-9s %-8s %8s %8s %8s %8s %8s%n", "interval", "", "sent", "finals", "img/s",
                "p50 ms", "p99 ms");
        for (SoakInterval i : intervals) {
            out.printf(Locale.ROOT, "%-9d %-8s %8d %8d %8.2f %8.0f %8.0f%n", i.number(), i.warmUp() ? "warm-up" : "",
                    i.submitted(), i.finished(), i.rate(), i.p50Ms(), i.p99Ms());
        }
        out.printf(Locale.ROOT, "after the last interval: %d finals in %.1f s%n", outcome.drainFinals(),
                outcome.drainSeconds());

        Set<String> groups = new LinkedHashSet<>();
        intervals.forEach(i -> groups.addAll(i.lagMax().keySet()));
        out.printf("%nconsumer lag, records: highest sampled in the interval / at its end%n");
        header(out, "group", intervals);
        for (String group : groups) {
            row(out, SoakChecks.shortName(group), intervals, i -> i.lagMax().containsKey(group)
                    ? i.lagMax().get(group) + "/" + i.lagEnd().get(group)
                    : "-");
        }
        Set<String> processes = new LinkedHashSet<>();
        intervals.forEach(i -> processes.addAll(i.rssMb().keySet()));
        intervals.forEach(i -> processes.addAll(i.heapEndMb().keySet()));
        out.printf("%nmemory, MB: resident set (RSS) and heap in use at the interval's end%n");
        header(out, "process", intervals);
        for (String process : processes) {
            row(out, process + " RSS", intervals, i -> i.rssMb().containsKey(process)
                    ? mb(i.rssMb().get(process).last())
                    : "-");
            row(out, process + " heap", intervals, i -> i.heapEndMb().containsKey(process)
                    ? mb(i.heapEndMb().get(process))
                    : "-");
        }
        out.println();
        boolean passed = true;
        for (SoakChecks.Check check : checks) {
            out.printf("%s %s: %s%n", check.passed() ? "PASS" : "FAIL", check.name(), check.detail());
            passed &= check.passed();
        }
        out.println("soak: " + (passed ? "PASS" : "FAIL") + ", " + run);
        out.flush();
        return passed;
    }

    private static void header(PrintWriter out, String first, List<SoakInterval> intervals) {
        out.printf("%-34s", first);
        intervals.forEach(i -> out.printf("%12s", i.number() + (i.warmUp() ? " (w)" : "")));
        out.println();
    }

    private static void row(PrintWriter out, String name, List<SoakInterval> intervals,
            Function<SoakInterval, String> cell) {
        out.printf("%-34s", name);
        intervals.forEach(i -> out.printf("%12s", cell.apply(i)));
        out.println();
    }

    private static String mb(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.0f", value);
    }
}
