package dev.aidetect.embedder.messaging;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.SerializationException;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.smallrye.reactive.messaging.annotations.Blocking;

import dev.aidetect.embedder.domain.IngestRecord;
import dev.aidetect.embedder.inference.EngineHolder;
import dev.aidetect.embedder.metrics.EmbedderMetrics;
import dev.aidetect.embedding.EmbeddingEngine;
import dev.aidetect.embedding.EmbeddingResults;
import dev.aidetect.embedding.Submission;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.schemas.ImageReceived;
import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Rejections;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.DeadLetter;
import dev.aidetect.schemas.kafka.RecordDecodingException;
import dev.aidetect.topics.DeadLetters;

/**
 * Consumes {@code images.ingest} one poll at a time as raw bytes, so a record that is not an {@code ImageSubmitted}
 * becomes a BAD_RECORD rejection (original bytes kept) under its key, or a dead letter on {@code deadletters.embedder}
 * when it has no key either (nothing ties it to an image), instead of stopping the consumer. Every valid submission gets an
 * {@code ImageReceived} on {@code images.received}, keyed by the image id in its value whatever the record's key and
 * partition (the router opens its case from it, never reading the pixels), and then ends in an {@code ImageEmbedding}
 * or an {@code ImageRejected}, each published as soon as it exists. A record keyed by another id than its value's is
 * received but not embedded: BAD_RECORD. The poll is acknowledged (and its offsets committed) only after the broker has
 * acknowledged every output, so a crash re-delivers rather than loses.
 *
 * <p>
 * Up to {@code smallrye.messaging.worker.embedder-polls.max-concurrency} polls are in flight at once, so the images of
 * small polls share forward passes (see {@link EmbeddingEngine}). They may finish out of order: the connector's
 * throttled commit strategy commits an offset only once every earlier record of its partition is acknowledged.
 */
@ApplicationScoped
public class EmbeddingProcessor {
    private static final Logger LOG = Logger.getLogger(EmbeddingProcessor.class);

    /** The worker pool polls run on; its size is {@code smallrye.messaging.worker.embedder-polls.max-concurrency}. */
    public static final String POLL_WORKERS = "embedder-polls";

    private final EngineHolder holder;
    private final ResultPublisher publisher;
    private final EmbedderMetrics metrics;
    private final DeadLetters deadLetters;

    public EmbeddingProcessor(EngineHolder holder, ResultPublisher publisher, EmbedderMetrics metrics,
            DeadLetters deadLetters) {
        this.holder = holder;
        this.publisher = publisher;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
    }

    @Incoming(Channels.INGEST)
    @Blocking(value = POLL_WORKERS, ordered = false)
    public void embed(ConsumerRecords<String, byte[]> records) {
        Instant receivedAt = Instant.now();
        List<Submission> submissions = new ArrayList<>();
        List<CompletableFuture<Void>> receipts = new ArrayList<>();
        List<CompletableFuture<Void>> refusals = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            IngestRecord raw = new IngestRecord(record.key(), record.topic(), record.partition(), record.offset(),
                    record.value());
            ImageSubmitted submitted = parse(record, raw, refusals);
            if (submitted == null) {
                continue;
            }
            ImageReceived received = raw.receipt(submitted, receivedAt);
            CompletableFuture<Void> receipt = publisher.received(received);
            receipts.add(receipt);
            String keyProblem = raw.keyProblem(submitted.getImageId());
            if (keyProblem == null) {
                // The embedding names where its pixels are, as the receipt does, for detection on pixels.
                submissions.add(new Submission(submitted, raw.value(), received.getOriginal()));
            } else {
                ImageRejected rejection = badRecord(raw, submitted.getImageId(), keyProblem, submitted.getLabel());
                refusals.add(receipt.thenCompose(written -> publisher.rejected(rejection)));
            }
        }
        // Every embedding and rejection is written after its image's receipt, so the router normally folds the
        // receipt in first and even an early rejection's final carries what the uploader sent.
        CompletableFuture.allOf(receipts.toArray(CompletableFuture[]::new)).join();
        EmbeddingResults results = submissions.isEmpty()
                ? new EmbeddingResults(List.of(), List.of())
                : holder.engine().embed(submissions, publisher);
        CompletableFuture.allOf(refusals.toArray(CompletableFuture[]::new)).join();
        LOG.debugf("Poll of %d records: %d received, %d embedded, %d rejected", records.count(), receipts.size(),
                results.embeddings().size(), refusals.size() + results.rejections().size());
    }

    /**
     * The record's submission, or {@code null} when it has none: then its BAD_RECORD rejection, or its dead letter when
     * it names no image (no key either), joins {@code refusals}.
     */
    private ImageSubmitted parse(ConsumerRecord<String, byte[]> record, IngestRecord raw,
            List<CompletableFuture<Void>> refusals) {
        String problem;
        String reason;
        try {
            ImageSubmitted submitted = Topics.INGEST.valueSerde().deserializer().deserialize(raw.topic(), raw.value());
            if (submitted == null) {
                problem = "the record has no value (a tombstone)";
                reason = RecordDecodingException.Problem.TOMBSTONE.name();
            } else if (submitted.getImageId().isBlank()) {
                problem = "the ImageSubmitted has a blank imageId";
                reason = "BLANK_IMAGE_ID";
            } else {
                return submitted;
            }
        } catch (SerializationException e) {
            problem = e.getMessage();
            reason = DeadLetter.reasonOf(e);
        }
        String message = problem
                + ": produce ImageSubmitted records with dev.aidetect.schemas.kafka.AvroSerializer and a unique imageId";
        if (raw.keyed()) {
            // The key names the image the uploader meant: it gets its one final verdict, REJECTED.
            refusals.add(publisher.rejected(badRecord(raw, raw.key(), message, null)));
        } else {
            // Nothing ties the record to an image: a rejection would be a final verdict for an id nobody submitted.
            refusals.add(deadLetters.send(new DeadLetter(deadLetters.service(), record.topic(), record.partition(),
                    record.offset(), null, record.value(), record.headers(), reason, message)));
        }
        return null;
    }

    private ImageRejected badRecord(IngestRecord raw, String imageId, String message, ImageLabel label) {
        metrics.rejected(RejectReason.BAD_RECORD);
        LOG.warnf("Bad record %s at %s-%d@%d: %s", imageId, raw.topic(), raw.partition(), raw.offset(), message);
        return Rejections.of(Stage.EMBEDDING, Topics.INGEST.name(), imageId, RejectReason.BAD_RECORD, message,
                raw.value(), label);
    }
}
