package dev.aidetect.tools.doctor;

import java.util.function.Supplier;

import dev.aidetect.tools.cli.FailureLine;

/**
 * One thing {@code aidetect doctor} looks at. A check that throws has failed, with the exception's one line; a
 * required check's failure makes the doctor exit 1, an optional one's is only a warning.
 */
public record Check(String name, boolean required, Supplier<Finding> body) {
    /** Runs the check: never throws. */
    public Finding run() {
        Finding finding;
        try {
            finding = body.get();
        } catch (RuntimeException | LinkageError e) {
            finding = Finding.fail(FailureLine.of(e));
        }
        if (!required && finding.status() == Finding.Status.FAIL) {
            return Finding.warn(finding.detail());
        }
        return finding;
    }
}
