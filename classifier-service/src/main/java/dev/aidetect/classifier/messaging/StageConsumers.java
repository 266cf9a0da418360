package dev.aidetect.classifier.messaging;

import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

import dev.aidetect.classifier.domain.IncomingRecord;
import dev.aidetect.classifier.domain.Outcome;
import dev.aidetect.classifier.inference.ImageAttributor;
import dev.aidetect.classifier.inference.ModelRegistry;
import dev.aidetect.classifier.inference.VectorClassifier;

/**
 * Consumes the classifier's input topics as raw bytes (so a record that does not decode becomes a BAD_RECORD
 * rejection rather than a dead consumer) and publishes exactly one outcome per record: a verdict on
 * {@code verdicts.*} or a rejection on {@code images.rejected}. A record is acknowledged only after its outcome is
 * on the broker. Inference runs on the {@value #WORKERS} worker pool.
 */
@ApplicationScoped
public class StageConsumers {
    private static final Logger LOG = Logger.getLogger(StageConsumers.class);
    /** The worker pool inference runs on; sized by {@code smallrye.messaging.worker.classifier-inference.max-concurrency}. */
    static final String WORKERS = "classifier-inference";

    private final ModelRegistry models;
    private final VectorClassifier vectors;
    private final ImageAttributor attributor;
    private final OutcomePublisher publisher;

    public StageConsumers(ModelRegistry models, VectorClassifier vectors, ImageAttributor attributor,
            OutcomePublisher publisher) {
        this.models = models;
        this.vectors = vectors;
        this.attributor = attributor;
        this.publisher = publisher;
    }

    @Incoming(Channels.EMBEDDED)
    @Blocking(value = WORKERS, ordered = false)
    public CompletionStage<Void> detect(Message<byte[]> message) {
        return handle(message, Channels.EMBEDDED, vectors::detect);
    }

    @Incoming(Channels.FAMILY_REQUESTS)
    @Blocking(value = WORKERS, ordered = false)
    public CompletionStage<Void> classifyFamily(Message<byte[]> message) {
        // A family network, when configured, decides on the image's pixels; otherwise the family head on the vector.
        return handle(message, Channels.FAMILY_REQUESTS,
                models.familyNetwork().isPresent() ? attributor::classifyFamily : vectors::classifyFamily);
    }

    @Incoming(Channels.GAN_ATTRIBUTION_REQUESTS)
    @Blocking(value = WORKERS, ordered = false)
    public CompletionStage<Void> attributeGan(Message<byte[]> message) {
        return handle(message, Channels.GAN_ATTRIBUTION_REQUESTS, in -> attributor.attribute("gan", in));
    }

    @Incoming(Channels.DIFFUSION_ATTRIBUTION_REQUESTS)
    @Blocking(value = WORKERS, ordered = false)
    public CompletionStage<Void> attributeDiffusion(Message<byte[]> message) {
        return handle(message, Channels.DIFFUSION_ATTRIBUTION_REQUESTS, in -> attributor.attribute("diffusion", in));
    }

    private CompletionStage<Void> handle(Message<byte[]> message, String channel,
            Function<IncomingRecord, Outcome> stage) {
        IncomingRecord in = incoming(message, channel);
        try {
            publisher.publish(stage.apply(in));
            return message.ack();
        } catch (RuntimeException e) {
            // Stages turn every input problem into a rejection, so only publishing fails here. The record is not
            // acknowledged: the channel fails (readiness goes DOWN) and the record is consumed again after a restart.
            LOG.errorf(e, "Could not publish the outcome for record %s from %s; not acknowledging it", in.key(),
                    in.topic());
            return message.nack(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static IncomingRecord incoming(Message<byte[]> message, String channel) {
        var kafka = message.getMetadata(IncomingKafkaRecordMetadata.class);
        String key = kafka.map(m -> m.getKey()).map(Object::toString).orElse(null);
        String topic = kafka.map(IncomingKafkaRecordMetadata::getTopic).orElse(channel);
        return new IncomingRecord(key, message.getPayload(), topic);
    }
}
