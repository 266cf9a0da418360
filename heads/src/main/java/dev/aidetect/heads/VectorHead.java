package dev.aidetect.heads;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import smile.classification.Classifier;

import dev.aidetect.heads.VectorRejectedException.Reason;
import dev.aidetect.heads.natives.OpenBlas;

/**
 * A trained head on encoder vectors (detection: REAL/FAKE, family: gan/diffusion). Consumes a raw encoder vector,
 * produces a {@link HeadDecision}. Thread-safe: classification only reads the fitted model.
 */
public final class VectorHead {
    static {
        // Smile binds BLAS/LAPACK on first use; make sure it finds an OpenBLAS.
        OpenBlas.ensureLoaded();
    }

    private final HeadMetadata metadata;
    private final Classifier<double[]> model;
    private final int positive;

    VectorHead(HeadMetadata metadata, Classifier<double[]> model) {
        this.metadata = metadata;
        this.model = model;
        this.positive = metadata.positiveIndex();
        if (positive < 0 || model.numClasses() != metadata.classes().size()) {
            throw new IllegalArgumentException("head " + metadata.id() + " is inconsistent: classes "
                    + metadata.classes() + ", positive class " + metadata.positiveClass() + ", model with "
                    + model.numClasses() + " classes");
        }
    }

    /**
     * Loads a head artifact written by {@link HeadTrainer}.
     *
     * @throws IOException when the file is missing, is not a head artifact, or was written by an incompatible version
     */
    public static VectorHead load(Path file) throws IOException {
        HeadArtifact.Contents contents = HeadArtifact.read(file);
        try {
            return new VectorHead(contents.metadata(), contents.model());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    public HeadMetadata metadata() {
        return metadata;
    }

    Classifier<double[]> model() {
        return model;
    }

    /** The head's model id, for {@code StageVerdict.model.id}. */
    public String id() {
        return metadata.id();
    }

    /** The artifact's content version, for {@code StageVerdict.model.version}. */
    public String version() {
        return metadata.version();
    }

    /**
     * Refuses vectors made by another encoder than the head was trained on, and vectors whose size is not the one
     * that encoder makes.
     *
     * @throws VectorRejectedException with reason {@link Reason#ENCODER_MISMATCH} for another encoder, or
     *         {@link Reason#BAD_VECTOR} for the right encoder but the wrong size
     */
    public void checkEncoder(String encoderId, int size) {
        HeadMetadata.Encoder trained = metadata.encoder();
        if (!trained.id().equals(encoderId)) {
            throw new VectorRejectedException(Reason.ENCODER_MISMATCH,
                    "head " + metadata.id() + " (version " + metadata.version() + ") was trained on " + trained.id()
                            + " vectors of size " + trained.embeddingSize() + " but got a vector of size " + size
                            + " from encoder " + encoderId
                            + "; embed with the head's encoder or train a head for this encoder");
        }
        checkSize(size);
    }

    /**
     * Classifies one raw encoder vector.
     *
     * @throws VectorRejectedException with reason {@link Reason#BAD_VECTOR} when the vector is missing, has the wrong
     *         size, or has NaN or infinite components
     */
    public HeadDecision classify(float[] vector) {
        checkVector(vector);
        double[] probabilities = new double[metadata.classes().size()];
        int predicted = model.predict(metadata.preprocessing().apply(vector), probabilities);
        List<String> classes = metadata.classes();
        Map<String, Double> scores = new LinkedHashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            scores.put(classes.get(i), probabilities[i]);
        }
        double score = probabilities[positive];
        String decision;
        if (classes.size() == 2) {
            decision = score >= metadata.threshold() ? classes.get(positive) : classes.get(1 - positive);
        } else {
            decision = classes.get(predicted);
        }
        return new HeadDecision(decision, score, Collections.unmodifiableMap(scores), metadata.threshold());
    }

    private void checkSize(int size) {
        int expected = metadata.encoder().embeddingSize();
        if (size != expected) {
            throw new VectorRejectedException(Reason.BAD_VECTOR,
                    "vector has size " + size + " but head " + metadata.id() + " needs size " + expected
                            + " (encoder " + metadata.encoder().id() + "); send the encoder's full, raw output");
        }
    }

    private void checkVector(float[] vector) {
        int expected = metadata.encoder().embeddingSize();
        if (vector == null) {
            throw new VectorRejectedException(Reason.BAD_VECTOR, "no vector given; head " + metadata.id()
                    + " needs a vector of size " + expected + " from encoder " + metadata.encoder().id());
        }
        checkSize(vector.length);
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                throw new VectorRejectedException(Reason.BAD_VECTOR, "vector component " + i + " is " + vector[i]
                        + "; every component must be a finite number (check the encoder for numeric overflow)");
            }
        }
    }
}
