package dev.aidetect.embedder.domain;

import java.util.concurrent.CompletableFuture;

import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageRejected;

/**
 * Where each result of a poll goes the moment it exists, so an image's embedding leaves with its own forward pass
 * rather than with the poll's last one. Each call completes when the broker has acknowledged the record.
 */
public interface ResultSink {
    CompletableFuture<Void> embedded(ImageEmbedding embedding);

    CompletableFuture<Void> rejected(ImageRejected rejection);
}
