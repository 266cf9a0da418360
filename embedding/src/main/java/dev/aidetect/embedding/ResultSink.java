package dev.aidetect.embedding;

import java.util.concurrent.CompletableFuture;

import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageRejected;

/**
 * Where each result of a call to the engine goes the moment it exists, so an image's embedding leaves with its own
 * forward pass rather than with the call's last one. Each call completes when the result is safe (in the service:
 * when the broker has acknowledged the record); the engine's call returns only after all have.
 */
public interface ResultSink {
    CompletableFuture<Void> embedded(ImageEmbedding embedding);

    CompletableFuture<Void> rejected(ImageRejected rejection);
}
