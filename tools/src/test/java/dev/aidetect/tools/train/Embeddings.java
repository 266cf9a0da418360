package dev.aidetect.tools.train;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.EmbeddingTimings;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.schemas.ModelRef;

/** {@code ImageEmbedding} records as the embedder writes them, for the training tests. */
final class Embeddings {
    private Embeddings() {
    }

    static ImageEmbedding record(String id, String encoder, float[] vector, ImageLabel label) {
        List<Float> values = new ArrayList<>();
        for (float v : vector) {
            values.add(v);
        }
        return ImageEmbedding.newBuilder().setImageId(id).setEncodedBy(new ModelRef(encoder, "1")).setVector(values)
                .setWidth(32).setHeight(32).setSubmittedAt(Instant.EPOCH).setEmbeddedAt(Instant.EPOCH)
                .setTimings(new EmbeddingTimings(0L, 0L, 0L, 0L, 1)).setLabel(label).build();
    }

    static ImageLabel real() {
        return new ImageLabel(Authenticity.REAL, null, null, null);
    }

    static ImageLabel fake(String family) {
        return new ImageLabel(Authenticity.FAKE, family, null, null);
    }
}
