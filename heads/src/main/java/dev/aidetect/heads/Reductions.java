package dev.aidetect.heads;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import smile.classification.Classifier;
import smile.feature.extraction.PCA;

import dev.aidetect.heads.natives.OpenBlas;

/**
 * Fits a head's {@link HeadReduction} on its preprocessed training vectors and hands the autoencoder's progress on.
 * A comparison makes one with reuse: the reduction learns from the vectors alone, not the labels or the head, so every
 * head of a grid trained on the same vectors shares one fitted reduction instead of training its own autoencoder.
 */
final class Reductions {
    static {
        // Smile binds BLAS/LAPACK on first use; make sure it finds an OpenBLAS.
        OpenBlas.ensureLoaded();
    }

    private final Consumer<String> progress;
    private final Map<Key, Fitted> fitted;

    private Reductions(Consumer<String> progress, Map<Key, Fitted> fitted) {
        this.progress = progress;
        this.fitted = fitted;
    }

    /** Fits each reduction anew. */
    static Reductions each(Consumer<String> progress) {
        return new Reductions(progress, null);
    }

    /** Fits each reduction once per set of training vectors (of one data set). */
    static Reductions reused(Consumer<String> progress) {
        return new Reductions(progress, new HashMap<>());
    }

    /** Which training vectors, preprocessed how, reduced how. */
    private record Key(List<Integer> trainIndices, boolean l2Normalize, boolean standardize, HeadReduction reduction,
            long seed) {
    }

    /** A fitted reduction: applies to training vectors, wraps the model fitted on them, and is recorded. */
    record Fitted(PCA pca, AutoencoderReduction autoencoder, HeadMetadata.Reduction recorded) {
        double[][] apply(double[][] x) {
            return pca != null ? pca.apply(x) : autoencoder != null ? autoencoder.apply(x) : x;
        }

        Classifier<double[]> wrap(Classifier<double[]> model) {
            return pca != null
                    ? new ProjectedClassifier(pca, model)
                    : autoencoder != null ? new ProjectedClassifier(autoencoder, model) : model;
        }
    }

    /**
     * @param x the preprocessed vectors at {@code trainIndices}
     */
    Fitted fit(double[][] x, List<Integer> trainIndices, HeadTrainingOptions options) {
        HeadReduction reduction = options.reduction();
        if (fitted == null) {
            return fitNew(x, reduction, options.seed());
        }
        Key key = new Key(List.copyOf(trainIndices), options.l2Normalize(), options.standardize(), reduction,
                options.seed());
        Fitted known = fitted.get(key);
        if (known == null) {
            known = fitNew(x, reduction, options.seed());
            fitted.put(key, known);
        }
        return known;
    }

    private Fitted fitNew(double[][] x, HeadReduction reduction, long seed) {
        return switch (reduction.method()) {
            case NONE -> new Fitted(null, null, record(reduction, 0, null));
            case PCA ->
                new Fitted(ProjectedClassifier.fit(x, reduction.dimensions()), null, record(reduction, 0, null));
            case AUTOENCODER -> {
                AutoencoderTrainer.Trained trained = AutoencoderTrainer.train(x, reduction, seed, progress);
                yield new Fitted(null, trained.encoder(), record(reduction, trained.encoder().hidden(),
                        trained.reconstructionMse()));
            }
        };
    }

    private static HeadMetadata.Reduction record(HeadReduction reduction, int hidden, Double mse) {
        return new HeadMetadata.Reduction(reduction.method().id(), reduction.dimensions(), hidden, reduction.epochs(),
                mse);
    }
}
