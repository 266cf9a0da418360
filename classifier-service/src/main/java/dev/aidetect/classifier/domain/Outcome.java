package dev.aidetect.classifier.domain;

import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.StageVerdict;

/**
 * What a stage makes of one input: a verdict, a rejection that says why there is none, or a dead letter for a record
 * that names no image at all.
 */
public sealed interface Outcome {
    /** The image the outcome is about; the key of the record that carries it. */
    String imageId();

    /** A stage decided. */
    record Verdict(StageVerdict verdict) implements Outcome {
        @Override
        public String imageId() {
            return verdict.getImageId();
        }
    }

    /**
     * The record neither decodes nor has a key: no image to reject, so it goes to the dead-letter topic.
     *
     * @param reason a short code ({@code NOT_AVRO}, {@code TOMBSTONE}, ...)
     */
    record DeadLettered(IncomingRecord record, String reason, String message) implements Outcome {
        @Override
        public String imageId() {
            return null;
        }
    }

    /** A stage refused the input. */
    record Rejection(ImageRejected rejected) implements Outcome {
        @Override
        public String imageId() {
            return rejected.getImageId();
        }
    }
}
