package dev.aidetect.classifier.messaging;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

import dev.aidetect.classifier.domain.IncomingRecord;
import dev.aidetect.classifier.domain.Outcome;
import dev.aidetect.classifier.inference.InferenceMetrics;
import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.StageVerdict;
import dev.aidetect.schemas.kafka.DeadLetter;
import dev.aidetect.topics.DeadLetters;

/**
 * Publishes outcomes keyed by image id: verdicts to their stage's verdict topic, rejections to
 * {@code images.rejected}, dead letters (unkeyed records that do not decode) to {@code deadletters.classifier}. Sends a poll's outcomes all at once, returns once the broker has every one, then counts
 * them.
 */
@ApplicationScoped
public class OutcomePublisher {
    /** Room for every outcome of the polls in flight (at most max.poll.records each) while the broker acknowledges. */
    private static final long BUFFER = 4096;

    @Inject
    @Channel(Channels.DETECTION_VERDICTS)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER)
    MutinyEmitter<StageVerdict> detectionVerdicts;

    @Inject
    @Channel(Channels.FAMILY_VERDICTS)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER)
    MutinyEmitter<StageVerdict> familyVerdicts;

    @Inject
    @Channel(Channels.ATTRIBUTION_VERDICTS)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER)
    MutinyEmitter<StageVerdict> attributionVerdicts;

    @Inject
    @Channel(Channels.REJECTED)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER)
    MutinyEmitter<ImageRejected> rejections;

    @Inject
    InferenceMetrics metrics;

    @Inject
    DeadLetters deadLetters;

    /**
     * Sends every outcome, in order, and returns once the broker has acknowledged all of them, so the caller may then
     * acknowledge the inputs.
     *
     * @throws java.util.concurrent.CompletionException when a send failed
     */
    public void publish(List<Outcome> outcomes) {
        CompletableFuture<?>[] sends = outcomes.stream().map(this::send).toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(sends).join();
        outcomes.forEach(metrics::count);
    }

    private CompletableFuture<Void> send(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Verdict(StageVerdict verdict) ->
                verdictsOf(verdict).sendMessage(keyed(outcome, verdict)).subscribeAsCompletionStage();
            case Outcome.Rejection(ImageRejected rejected) ->
                rejections.sendMessage(keyed(outcome, rejected)).subscribeAsCompletionStage();
            case Outcome.DeadLettered(IncomingRecord in, String reason, String message) ->
                deadLetters.send(new DeadLetter(deadLetters.service(), in.topic(), in.partition(), in.offset(), null,
                        in.payload(), in.headers(), reason, message));
        };
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
