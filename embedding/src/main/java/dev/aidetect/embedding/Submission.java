package dev.aidetect.embedding;

import dev.aidetect.schemas.ImageSubmitted;

/** A parsed {@code images.ingest} record with its original bytes, kept for a rejection's replay payload. */
public record Submission(ImageSubmitted record, byte[] original) {
}
