package dev.aidetect.classifier.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.smallrye.reactive.messaging.annotations.Blocking;

import dev.aidetect.classifier.domain.IncomingRecord;
import dev.aidetect.classifier.domain.Outcome;
import dev.aidetect.classifier.inference.ImageAttributor;
import dev.aidetect.classifier.inference.ModelRegistry;
import dev.aidetect.classifier.inference.PixelDetector;
import dev.aidetect.classifier.inference.VectorClassifier;

/**
 * Consumes the classifier's input topics one poll at a time, as raw bytes (so a record that does not decode becomes
 * a BAD_RECORD rejection rather than a dead consumer), and publishes exactly one outcome per record: a verdict on
 * {@code verdicts.*}, a rejection on {@code images.rejected}, or, for a record that neither decodes nor has a key (so
 * names no image), a dead letter on {@code deadletters.classifier}. All outcomes of a poll are sent at once and the poll
 * is acknowledged only after the broker has every one of them, so a crash re-delivers rather than loses.
 *
 * <p>
 * Inference runs on the {@value #WORKERS} worker pool, one poll at a time per channel and in order (the channels run
 * side by side): records of a partition are decided in offset order, and a poll is one batch of the
 * {@link ModelRegistry} (decided by the models serving at its start), so after a model swap no record is decided by
 * the old model once a later one was decided by the new.
 */
@ApplicationScoped
public class StageConsumers {
    private static final Logger LOG = Logger.getLogger(StageConsumers.class);
    /** The worker pool inference runs on; sized by {@code smallrye.messaging.worker.classifier-inference.max-concurrency}. */
    static final String WORKERS = "classifier-inference";

    private final ModelRegistry models;
    private final VectorClassifier vectors;
    private final ImageAttributor attributor;
    private final PixelDetector pixels;
    private final OutcomePublisher publisher;

    public StageConsumers(ModelRegistry models, VectorClassifier vectors, ImageAttributor attributor,
            PixelDetector pixels, OutcomePublisher publisher) {
        this.models = models;
        this.vectors = vectors;
        this.attributor = attributor;
        this.pixels = pixels;
        this.publisher = publisher;
    }

    @Incoming(Channels.EMBEDDED)
    @Blocking(value = WORKERS, ordered = true)
    public void detect(ConsumerRecords<String, byte[]> poll) {
        // On the vector by the head; or on the image's pixels by the network, alone or fused with the head.
        handle(poll, models.detectionInput().readsPixels() ? pixels::detect : each(vectors::detect));
    }

    @Incoming(Channels.FAMILY_REQUESTS)
    @Blocking(value = WORKERS, ordered = true)
    public void classifyFamily(ConsumerRecords<String, byte[]> poll) {
        // A family network, when configured, decides on the image's pixels; otherwise the family head on the vector.
        handle(poll, models.familyNetwork().isPresent() ? attributor::classifyFamily : each(vectors::classifyFamily));
    }

    @Incoming(Channels.GAN_ATTRIBUTION_REQUESTS)
    @Blocking(value = WORKERS, ordered = true)
    public void attributeGan(ConsumerRecords<String, byte[]> poll) {
        handle(poll, records -> attributor.attribute("gan", records));
    }

    @Incoming(Channels.DIFFUSION_ATTRIBUTION_REQUESTS)
    @Blocking(value = WORKERS, ordered = true)
    public void attributeDiffusion(ConsumerRecords<String, byte[]> poll) {
        handle(poll, records -> attributor.attribute("diffusion", records));
    }

    /** A stage that decides each record on its own. */
    private static Function<List<IncomingRecord>, List<Outcome>> each(Function<IncomingRecord, Outcome> stage) {
        return records -> records.stream().map(stage).toList();
    }

    /** @param stage one outcome per record of the poll, in order (the pixel stages read a poll's images together) */
    private void handle(ConsumerRecords<String, byte[]> poll, Function<List<IncomingRecord>, List<Outcome>> stage) {
        List<IncomingRecord> records = new ArrayList<>(poll.count());
        for (ConsumerRecord<String, byte[]> record : poll) {
            records.add(new IncomingRecord(record.key(), record.value(), record.topic(), record.partition(),
                    record.offset(), record.headers()));
        }
        // One batch: each model the poll uses is the one serving at its first use, held until the poll is decided, so
        // a swap meanwhile never mixes two versions in one poll nor closes a model under it.
        List<Outcome> outcomes = models.batch(() -> stage.apply(records));
        try {
            publisher.publish(outcomes);
        } catch (RuntimeException e) {
            // Stages turn every input problem into a rejection, so only publishing fails here. The poll is not
            // acknowledged: the channel fails (readiness goes DOWN) and its records are consumed again after a restart.
            LOG.errorf(e, "Could not publish the outcomes of a poll of %d records from %s; not acknowledging it",
                    poll.count(), poll.partitions());
            throw e;
        }
        LOG.debugf("Poll of %d records from %s decided", poll.count(), poll.partitions());
    }
}
