package dev.aidetect.classifier.inference;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.aidetect.classifier.domain.Outcome;
import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageVerdict;

/**
 * The classifier's meters: verdicts by stage, decision and model version, rejections by stage and reason, and the
 * time each model takes per input.
 */
@ApplicationScoped
public class InferenceMetrics {
    private final MeterRegistry registry;

    public InferenceMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Times one model call. */
    public <T> T time(Stage stage, String modelId, Supplier<T> inference) {
        return Timer.builder("aidetect.classifier.inference")
                .description("Time a model takes for one input (preprocessing included)")
                .tag("stage", stage.name())
                .tag("model", modelId)
                .publishPercentileHistogram()
                .register(registry)
                .record(inference);
    }

    /** Counts an outcome once it has been published. */
    public void count(Outcome outcome) {
        switch (outcome) {
            case Outcome.Verdict(StageVerdict verdict) -> registry.counter("aidetect.classifier.verdicts",
                    "stage", verdict.getStage().name(),
                    "decision", verdict.getDecision(),
                    "model", verdict.getModel().getId(),
                    "version", verdict.getModel().getVersion()).increment();
            case Outcome.Rejection(ImageRejected rejected) -> registry.counter("aidetect.classifier.rejections",
                    "stage", rejected.getStage().name(),
                    "reason", rejected.getReason().name()).increment();
            case Outcome.DeadLettered letter -> {
                // Counted where it is written: aidetect_dead_letters_total (pipeline-topics' DeadLetters).
            }
        }
    }
}
