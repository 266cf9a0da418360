package dev.aidetect.embedding;

import dev.aidetect.schemas.ImageRef;
import dev.aidetect.schemas.ImageSubmitted;

/**
 * A parsed {@code images.ingest} record with its original bytes, kept for a rejection's replay payload.
 *
 * @param location where the image's pixels can be read again (its uri, or this images.ingest record): copied into the
 *        embedding's {@code original} so that a later stage on pixels finds the image; {@code null} when not known
 *        (submissions that never were on a topic, as in the benchmark)
 */
public record Submission(ImageSubmitted record, byte[] original, ImageRef location) {

    /** A submission whose image cannot be found again from its embedding. */
    public Submission(ImageSubmitted record, byte[] original) {
        this(record, original, null);
    }
}
