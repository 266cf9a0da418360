package dev.aidetect.embedder.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.smallrye.reactive.messaging.kafka.Record;

import dev.aidetect.embedder.domain.EmbeddingResults;
import dev.aidetect.embedder.metrics.EmbedderMetrics;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageRejected;

/** Publishes embeddings to {@code images.embedded} and rejections to {@code images.rejected}, keyed by image id. */
@ApplicationScoped
public class ResultPublisher {
    /** Room for every output of one poll (at most max.poll.records) while the broker acknowledges. */
    private static final long BUFFER = 4096;

    private final Emitter<Record<String, ImageEmbedding>> embedded;
    private final Emitter<Record<String, ImageRejected>> rejected;
    private final EmbedderMetrics metrics;

    public ResultPublisher(
            @Channel(Channels.EMBEDDED) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER) Emitter<Record<String, ImageEmbedding>> embedded,
            @Channel(Channels.REJECTED) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER) Emitter<Record<String, ImageRejected>> rejected,
            EmbedderMetrics metrics) {
        this.embedded = embedded;
        this.rejected = rejected;
        this.metrics = metrics;
    }

    /**
     * Sends every output and returns once the broker has acknowledged all of them, so the caller may then
     * acknowledge the input.
     *
     * @throws java.util.concurrent.CompletionException when a send failed
     */
    public void publish(EmbeddingResults results) {
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        results.embeddings().forEach(embedding -> sends.add(send(embedded, embedding.getImageId(), embedding)));
        results.rejections().forEach(rejection -> sends.add(send(rejected, rejection.getImageId(), rejection)));
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
        metrics.embedded(results.embeddings().size());
    }

    private static <V extends SpecificRecord> CompletableFuture<Void> send(Emitter<Record<String, V>> emitter,
            String key, V value) {
        return emitter.send(Record.of(key, value)).toCompletableFuture();
    }
}
