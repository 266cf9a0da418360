package dev.aidetect.tools.eval;

import java.util.Locale;
import java.util.Map;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageVerdict;

/**
 * What the pipeline made of one evaluated image: its ground truth, its final verdict ({@code null} when none came) and
 * the verdict of each stage that decided on it.
 *
 * @param imageId the id it had in the run
 * @param originalId its data set and path there, or its id on the replayed topic
 * @param truth the ground truth
 * @param verdict its final verdict, or {@code null}
 * @param stages each stage's verdict on it
 */
record ScoredImage(String imageId, String originalId, ImageLabel truth, FinalVerdict verdict,
        Map<Stage, StageVerdict> stages) {
    /** The name of the generator that attribution gives when no known generator is likely enough. */
    static final String UNKNOWN_GENERATOR = "unknown";

    ScoredImage {
        stages = Map.copyOf(stages);
    }

    boolean fake() {
        return truth.getAuthenticity() == Authenticity.FAKE;
    }

    String dataset() {
        return truth.getDataset() == null ? EvalImage.UNNAMED : truth.getDataset();
    }

    /** The true family, {@code real} for a real image. */
    String family() {
        return fake() ? named(truth.getFamily()) : "real";
    }

    /** The true generator, {@code real} for a real image. */
    String generator() {
        return fake() ? named(truth.getGenerator()) : "real";
    }

    /** The detection stage's verdict, or {@code null} when detection never decided on it. */
    StageVerdict detection() {
        return stages.get(Stage.DETECTION);
    }

    /** Whether the detection stage called it fake at its threshold. */
    boolean calledFake() {
        return detection().getDecision().strip().toUpperCase(Locale.ROOT).equals("FAKE");
    }

    /**
     * Where the hierarchy put it, for a confusion matrix of {@code stage} (FAMILY or ATTRIBUTION): the family or
     * generator it named, or how the case ended before: {@code real}, {@code uncertain}, {@code rejected},
     * {@code timed out}, {@code no final}.
     */
    String predicted(Stage stage) {
        if (verdict == null) {
            return "no final";
        }
        if (verdict.getStatus() == FinalStatus.REJECTED) {
            return "rejected";
        }
        if (verdict.getStatus() == FinalStatus.TIMED_OUT) {
            return "timed out";
        }
        if (verdict.getAuthenticity() == Authenticity.REAL) {
            return "real";
        }
        if (verdict.getAuthenticity() == Authenticity.UNCERTAIN) {
            return "uncertain";
        }
        String named = stage == Stage.FAMILY ? verdict.getFamily() : verdict.getGenerator();
        return named == null ? "fake, no " + stage.name().toLowerCase(Locale.ROOT) : named;
    }

    /**
     * Why its case did not end decided, for the rejections table: the rejection's reason, {@code TIMED_OUT waiting for
     * <stage>}, {@code NO_FINAL}; {@code null} when it was decided.
     */
    String notDecidedBecause() {
        if (verdict == null) {
            return "NO_FINAL";
        }
        return switch (verdict.getStatus()) {
            case DECIDED -> null;
            case REJECTED -> verdict.getRejection() == null
                    ? "REJECTED"
                    : verdict.getRejection().getStage() + " " + verdict.getRejection().getReason();
            case TIMED_OUT -> "TIMED_OUT waiting for " + verdict.getWaitingFor();
        };
    }

    private static String named(String name) {
        return name == null || name.isBlank() ? EvalImage.UNNAMED : name;
    }
}
