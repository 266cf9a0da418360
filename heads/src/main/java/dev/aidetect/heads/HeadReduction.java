package dev.aidetect.heads;

import java.util.Locale;

/**
 * How a head reduces the preprocessed vector before its model sees it: not at all, onto principal components, or
 * through the encoder half of an autoencoder (the seeds reduce CLIP's 768 dimensions to 64 or 32 this way).
 *
 * @param method what reduces
 * @param dimensions the reduced size; 0 exactly when {@code method} is {@link Method#NONE}
 * @param hidden the autoencoder's hidden layer; 0: chosen from the input size ({@link #hiddenFor(int)})
 * @param epochs the autoencoder's training epochs
 */
public record HeadReduction(Method method, int dimensions, int hidden, int epochs) {
    /** Epochs of Adam over the training vectors: enough for the reconstruction loss to level off on CLIP vectors. */
    public static final int DEFAULT_EPOCHS = 30;
    private static final int MAX_HIDDEN = 256;

    /** What reduces a vector. */
    public enum Method {
        NONE, PCA, AUTOENCODER;

        /** The command line's name: {@code none}, {@code pca} or {@code autoencoder}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses {@code none}, {@code pca} or {@code autoencoder}. */
        public static Method of(String id) {
            try {
                return valueOf(id.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown reduction '" + id + "'; use none, pca or autoencoder", e);
            }
        }
    }

    public HeadReduction {
        if (method == Method.NONE ? dimensions != 0 : dimensions <= 0) {
            throw new IllegalArgumentException(method == Method.NONE
                    ? "no reduction takes no dimensions, got " + dimensions
                    : method.id() + " needs a positive number of dimensions (--dims N), got " + dimensions);
        }
        if (hidden < 0 || epochs < 0 || method == Method.AUTOENCODER && epochs == 0) {
            throw new IllegalArgumentException("an autoencoder needs a hidden size of 0 (automatic) or more and at "
                    + "least one epoch, got hidden " + hidden + " and " + epochs + " epochs");
        }
    }

    public static HeadReduction none() {
        return new HeadReduction(Method.NONE, 0, 0, 0);
    }

    public static HeadReduction pca(int dimensions) {
        return dimensions == 0 ? none() : new HeadReduction(Method.PCA, dimensions, 0, 0);
    }

    /** An autoencoder to {@code dimensions}, its hidden size chosen from the input, {@value #DEFAULT_EPOCHS} epochs. */
    public static HeadReduction autoencoder(int dimensions) {
        return new HeadReduction(Method.AUTOENCODER, dimensions, 0, DEFAULT_EPOCHS);
    }

    /** {@code --reduce METHOD --dims N}. */
    public static HeadReduction of(String method, int dimensions) {
        return switch (Method.of(method)) {
            case NONE -> none();
            case PCA -> pca(dimensions);
            case AUTOENCODER -> autoencoder(dimensions);
        };
    }

    public HeadReduction withEpochs(int newEpochs) {
        return new HeadReduction(method, dimensions, hidden, newEpochs);
    }

    /** {@code none}, {@code pca-32}, {@code autoencoder-64}: a grid's row name. */
    public String label() {
        return method == Method.NONE ? "none" : method.id() + "-" + dimensions;
    }

    /** The hidden layer for vectors of {@code inputSize}: the given one, else between the input and the code. */
    int hiddenFor(int inputSize) {
        return hidden > 0 ? hidden : Math.max(2 * dimensions, Math.min(MAX_HIDDEN, inputSize));
    }

    /**
     * @throws IllegalArgumentException when vectors of {@code inputSize} cannot be reduced to these dimensions
     */
    void checkInput(int inputSize) {
        if (method != Method.NONE && dimensions >= inputSize) {
            throw new IllegalArgumentException(method.id() + " to " + dimensions + " dimensions needs vectors longer "
                    + "than " + dimensions + ", got size " + inputSize + "; choose fewer --dims");
        }
    }
}
