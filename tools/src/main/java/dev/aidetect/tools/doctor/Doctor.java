package dev.aidetect.tools.doctor;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Runs checks one after the other, printing one line per check as it ends, then a summary line. */
public final class Doctor {
    private Doctor() {
    }

    /** The outcome: how many checks ended in each status; {@code healthy} when no required one failed. */
    public record Summary(int ok, int warnings, int failures, int skipped) {
        public boolean healthy() {
            return failures == 0;
        }
    }

    public static Summary run(List<Check> checks, PrintWriter out) {
        int ok = 0;
        int warnings = 0;
        int failures = 0;
        int skipped = 0;
        for (Check check : checks) {
            Finding finding = check.run();
            out.printf("%-4s  %-13s %s%n", finding.status().name().toLowerCase(Locale.ROOT), check.name(),
                    finding.detail());
            out.flush();
            switch (finding.status()) {
                case OK -> ok++;
                case WARN -> warnings++;
                case FAIL -> failures++;
                case SKIP -> skipped++;
            }
        }
        Summary summary = new Summary(ok, warnings, failures, skipped);
        out.printf("%d checks: %d ok, %d warning(s), %d failed, %d skipped%s%n", checks.size(), ok, warnings, failures,
                skipped, failures == 0 ? "" : " (fix the failed ones: each line says how)");
        out.flush();
        return summary;
    }
}
