package dev.aidetect.embedder.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

import dev.aidetect.embedder.messaging.EmbeddingDestinations.Destination;
import dev.aidetect.embedder.metrics.EmbedderMetrics;
import dev.aidetect.embedding.ResultSink;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageReceived;
import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.Topics;

/**
 * Publishes receipts to {@code images.received}, embeddings to {@code images.embedded} (or, encoder by encoder, where
 * {@link EmbeddingDestinations} says) and rejections to {@code images.rejected}, keyed by image id.
 */
@ApplicationScoped
public class ResultPublisher implements ResultSink {
    /** Room for every output of one poll (at most max.poll.records) while the broker acknowledges. */
    private static final long BUFFER = 4096;

    private final Emitter<Record<String, ImageReceived>> received;
    private final Emitter<Record<String, ImageEmbedding>> embedded;
    private final Emitter<Record<String, ImageRejected>> rejected;
    private final EmbeddingDestinations destinations;
    private final EmbedderMetrics metrics;

    public ResultPublisher(
            @Channel(Channels.RECEIVED) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER) Emitter<Record<String, ImageReceived>> received,
            @Channel(Channels.EMBEDDED) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER) Emitter<Record<String, ImageEmbedding>> embedded,
            @Channel(Channels.REJECTED) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER) Emitter<Record<String, ImageRejected>> rejected,
            EmbeddingDestinations destinations, EmbedderMetrics metrics) {
        this.received = received;
        this.embedded = embedded;
        this.rejected = rejected;
        this.destinations = destinations;
        this.metrics = metrics;
    }

    /**
     * Sends the receipt to images.received, keyed by the image id in the submission's value; completes when the broker
     * has acknowledged it.
     */
    public CompletableFuture<Void> received(ImageReceived receipt) {
        return send(received, Topics.RECEIVED.name(), receipt.getImageId(), receipt);
    }

    /** Sends the embedding where {@link EmbeddingDestinations} says; completes when the broker has acknowledged it. */
    @Override
    public CompletableFuture<Void> embedded(ImageEmbedding embedding) {
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (Destination destination : destinations.of(embedding)) {
            sends.add(send(embedded, destination.topic(), embedding.getImageId(), destination.embedding()));
        }
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).thenRun(() -> metrics.embedded(1));
    }

    /** Sends the rejection to images.rejected; completes when the broker has acknowledged it. */
    @Override
    public CompletableFuture<Void> rejected(ImageRejected rejection) {
        return send(rejected, Topics.REJECTED.name(), rejection.getImageId(), rejection);
    }

    /** Sends to {@code topic} (not only the channel's own); completes when the broker has acknowledged it. */
    private static <V extends SpecificRecord> CompletableFuture<Void> send(Emitter<Record<String, V>> emitter,
            String topic, String key, V value) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic).withKey(key).build();
        emitter.send(Message.of(Record.of(key, value), Metadata.of(metadata), () -> {
            acknowledged.complete(null);
            return CompletableFuture.completedFuture(null);
        }, failure -> {
            acknowledged.completeExceptionally(failure);
            return CompletableFuture.completedFuture(null);
        }));
        return acknowledged;
    }
}
