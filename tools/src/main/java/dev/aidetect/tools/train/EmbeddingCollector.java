package dev.aidetect.tools.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageLabel;

/**
 * Gathers labelled {@link ImageEmbedding} records (replayed from a topic or read from a file) into training data.
 * Unlabelled records are counted and left out; vectors of a second encoder or size are refused, since one head is
 * trained for one encoder.
 */
final class EmbeddingCollector implements Consumer<ImageEmbedding> {
    private final String source;
    private final List<float[]> vectors = new ArrayList<>();
    private final List<ImageLabel> labels = new ArrayList<>();
    private String encoderId;
    private int size = -1;
    private int unlabelled;

    /** @param source where the records come from, for messages */
    EmbeddingCollector(String source) {
        this.source = source;
    }

    @Override
    public void accept(ImageEmbedding embedding) {
        ImageLabel label = embedding.getLabel();
        if (label == null || label.getAuthenticity() == null || label.getAuthenticity() == Authenticity.UNKNOWN) {
            unlabelled++;
            return;
        }
        String encoder = embedding.getEncodedBy().getId();
        int length = embedding.getVector().size();
        if (encoderId == null) {
            encoderId = encoder;
            size = length;
        } else if (!encoderId.equals(encoder) || size != length) {
            throw new IllegalArgumentException(source + " mixes encoders: image " + embedding.getImageId() + " has a "
                    + encoder + " vector of size " + length + " but earlier records have " + encoderId
                    + " vectors of size " + size + "; a head is trained for one encoder, so replay or export the "
                    + "embeddings of one encoder only");
        }
        float[] vector = new float[length];
        for (int i = 0; i < length; i++) {
            vector[i] = embedding.getVector().get(i);
        }
        vectors.add(vector);
        labels.add(label);
    }

    /** The labelled vectors gathered; fails when there are none. */
    LabelledEmbeddings collected() {
        if (vectors.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no labelled embeddings (" + unlabelled
                    + " without a label); images.embedded records carry the label of their submission, so submit "
                    + "labelled images (aidetect submit with real/ and fake/<family>/<generator>/ folders)");
        }
        List<String> skipped = unlabelled == 0
                ? List.of()
                : List.of(unlabelled + " records of " + source
                        + " without a real/fake label");
        return new LabelledEmbeddings(encoderId, vectors, labels, skipped);
    }
}
