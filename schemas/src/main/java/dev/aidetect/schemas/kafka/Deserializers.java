package dev.aidetect.schemas.kafka;

import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.StageRequest;
import dev.aidetect.schemas.StageVerdict;

/**
 * Named deserializer classes for Kafka client configuration, e.g.
 * {@code value.deserializer=dev.aidetect.schemas.kafka.Deserializers$ImageEmbeddingDeserializer}.
 */
public final class Deserializers {
    private Deserializers() {
    }

    public static class ImageSubmittedDeserializer extends AvroDeserializer<ImageSubmitted> {
        public ImageSubmittedDeserializer() {
            super(ImageSubmitted.class);
        }
    }

    public static class ImageEmbeddingDeserializer extends AvroDeserializer<ImageEmbedding> {
        public ImageEmbeddingDeserializer() {
            super(ImageEmbedding.class);
        }
    }

    public static class StageRequestDeserializer extends AvroDeserializer<StageRequest> {
        public StageRequestDeserializer() {
            super(StageRequest.class);
        }
    }

    public static class StageVerdictDeserializer extends AvroDeserializer<StageVerdict> {
        public StageVerdictDeserializer() {
            super(StageVerdict.class);
        }
    }

    public static class ImageRejectedDeserializer extends AvroDeserializer<ImageRejected> {
        public ImageRejectedDeserializer() {
            super(ImageRejected.class);
        }
    }

    public static class FinalVerdictDeserializer extends AvroDeserializer<FinalVerdict> {
        public FinalVerdictDeserializer() {
            super(FinalVerdict.class);
        }
    }
}
