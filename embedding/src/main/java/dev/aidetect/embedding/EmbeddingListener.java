package dev.aidetect.embedding;

import dev.aidetect.schemas.RejectReason;

/**
 * Told what the engine does, for metrics: the embedder-service records it with Micrometer, the benchmark ignores it.
 * Called on the engine's decode and inference threads, so implementations are thread-safe and quick.
 */
public interface EmbeddingListener {
    /** Hears nothing. */
    EmbeddingListener NONE = new EmbeddingListener() {
    };

    /** One image decoded and preprocessed, on a decode thread. */
    default void recordDecode(long decodeNanos, long preprocessNanos) {
    }

    /** One image waited this long for its forward pass. */
    default void recordQueue(long queueMicros) {
    }

    /** One forward pass of {@code images} images, on the inference thread that ran it. */
    default void recordBatch(int images, long inferenceMicros) {
    }

    /** One submission refused. */
    default void rejected(RejectReason reason) {
    }
}
