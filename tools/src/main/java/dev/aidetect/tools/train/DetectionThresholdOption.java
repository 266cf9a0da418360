package dev.aidetect.tools.train;

import dev.aidetect.heads.ThresholdRule;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --threshold}, the same in every command that chooses a real/fake network's serving threshold on held-out
 * images ({@code train detector}, {@code detector-ensemble}, {@code import-detector}).
 */
public final class DetectionThresholdOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--threshold", defaultValue = "best-accuracy", description = "How the serving threshold on "
            + "P(FAKE) is chosen on the held-out images: fixed-0.5, best-accuracy, or fpr=<rate> (default "
            + "${DEFAULT-VALUE}).")
    String threshold;

    /** The rule; a usage error naming what is accepted when it is not one. */
    ThresholdRule rule() {
        try {
            return ThresholdRule.of(threshold);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), e.getMessage());
        }
    }
}
