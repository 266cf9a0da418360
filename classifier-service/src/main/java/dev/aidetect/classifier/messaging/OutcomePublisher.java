package dev.aidetect.classifier.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

import dev.aidetect.classifier.domain.Outcome;
import dev.aidetect.classifier.inference.InferenceMetrics;
import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.StageVerdict;

/**
 * Publishes outcomes keyed by image id: verdicts to their stage's verdict topic, rejections to
 * {@code images.rejected}. Returns once the broker has the record, then counts it.
 */
@ApplicationScoped
public class OutcomePublisher {
    @Inject
    @Channel(Channels.DETECTION_VERDICTS)
    MutinyEmitter<StageVerdict> detectionVerdicts;

    @Inject
    @Channel(Channels.FAMILY_VERDICTS)
    MutinyEmitter<StageVerdict> familyVerdicts;

    @Inject
    @Channel(Channels.ATTRIBUTION_VERDICTS)
    MutinyEmitter<StageVerdict> attributionVerdicts;

    @Inject
    @Channel(Channels.REJECTED)
    MutinyEmitter<ImageRejected> rejections;

    @Inject
    InferenceMetrics metrics;

    /** Sends one outcome and waits for the broker's acknowledgement. */
    public void publish(Outcome outcome) {
        switch (outcome) {
            case Outcome.Verdict(StageVerdict verdict) ->
                verdictsOf(verdict).sendMessageAndAwait(keyed(outcome, verdict));
            case Outcome.Rejection(ImageRejected rejected) -> rejections.sendMessageAndAwait(keyed(outcome, rejected));
        }
        metrics.count(outcome);
    }

    private MutinyEmitter<StageVerdict> verdictsOf(StageVerdict verdict) {
        return switch (verdict.getStage()) {
            case DETECTION -> detectionVerdicts;
            case FAMILY -> familyVerdicts;
            case ATTRIBUTION -> attributionVerdicts;
            default ->
                throw new IllegalArgumentException("the classifier makes no " + verdict.getStage() + " verdicts");
        };
    }

    private static <T> Message<T> keyed(Outcome outcome, T record) {
        return Message.of(record).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(outcome.imageId())
                .build());
    }
}
