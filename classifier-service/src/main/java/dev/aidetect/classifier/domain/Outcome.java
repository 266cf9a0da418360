package dev.aidetect.classifier.domain;

import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.StageVerdict;

/** What a stage makes of one input: a verdict, or a rejection that says why there is none. */
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

    /** A stage refused the input. */
    record Rejection(ImageRejected rejected) implements Outcome {
        @Override
        public String imageId() {
            return rejected.getImageId();
        }
    }
}
