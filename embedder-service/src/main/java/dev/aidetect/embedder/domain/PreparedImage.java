package dev.aidetect.embedder.domain;

import dev.aidetect.schemas.ImageSubmitted;

/**
 * A decoded, preprocessed image waiting for its forward pass: its input sits at {@code slot} of a batch buffer.
 *
 * @param preparedAtNanos {@link System#nanoTime()} when preprocessing finished, to measure time spent queued
 */
public record PreparedImage(ImageSubmitted submission, int slot, int width, int height, String format,
        long decodeMicros,
        long preprocessMicros, long preparedAtNanos) {
}
