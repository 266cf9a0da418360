package dev.aidetect.embedding;

import dev.aidetect.imaging.decode.JpegDecoder;
import dev.aidetect.schemas.ImageSubmitted;

/**
 * A decoded, preprocessed image waiting for its forward pass: its input sits at {@code slot} of a batch buffer.
 *
 * @param decodeScale 1 for a full decode, else the fraction of its size a JPEG was draft-decoded at
 * @param decoder what decoded the pixels
 * @param preparedAtNanos {@link System#nanoTime()} when preprocessing finished, to measure time spent queued
 */
public record PreparedImage(ImageSubmitted submission, int slot, int width, int height, String format,
        int decodeScale, JpegDecoder decoder, long decodeMicros, long preprocessMicros, long preparedAtNanos) {
}
