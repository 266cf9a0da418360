package dev.aidetect.heads;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import smile.classification.Classifier;
import smile.classification.DecisionTree;
import smile.classification.GradientTreeBoost;
import smile.classification.KNN;
import smile.classification.LDA;
import smile.classification.LogisticRegression;
import smile.classification.QDA;
import smile.classification.RandomForest;
import smile.classification.SVM;
import smile.feature.extraction.PCA;
import smile.math.MathEx;
import smile.math.kernel.GaussianKernel;

import dev.aidetect.heads.natives.OpenBlas;

/**
 * The learning algorithms a vector head can be trained with: those the detection studies compared. Each fits a Smile
 * {@link Classifier} on preprocessed vectors with class indices {@code 0..k-1} that gives class probabilities; models
 * without native probabilities (SVMs, kNN, cosine nearest neighbour) are binary only and calibrated by Platt scaling
 * on a held-out share of the training vectors ({@link Fitted#calibration()} says which).
 */
public enum HeadAlgorithm {
    /** The linear probe: L2-regularised logistic regression (binomial or multinomial). */
    LOGISTIC_REGRESSION("logistic-regression") {
        @Override
        Fitted fit(double[][] x, int[] y, long seed) {
            Hyperparameters.Logistic settings = Hyperparameters.Logistic.DEFAULT;
            return withPosteriors(LogisticRegression.fit(x, y, settings.options()),
                    Hyperparameters.recorded(settings));
        }
    },
    LINEAR_DISCRIMINANT("lda") {
        @Override
        Fitted fit(double[][] x, int[] y, long seed) {
            PCA subspace = nonSingular(x);
            return withPosteriors(new ProjectedClassifier(subspace, LDA.fit(subspace.apply(x), y)), SUBSPACE);
        }
    },
    QUADRATIC_DISCRIMINANT("qda") {
        @Override
        Fitted fit(double[][] x, int[] y, long seed) {
            PCA subspace = nonSingular(x);
            return withPosteriors(new ProjectedClassifier(subspace, QDA.fit(subspace.apply(x), y)), SUBSPACE);
        }
    },
    LINEAR_SVM("linear-svm") {
        @Override
        Fitted fit(double[][] x, int[] y, long seed) {
            Hyperparameters.Svm settings = new Hyperparameters.Svm(1.0);
            return platt(x, y, seed, false, Hyperparameters.recorded(settings),
                    (tx, ty) -> SVM.fit(tx, signs(ty), settings.options()));
        }
    },
    RBF_SVM("rbf-svm") {
        @Override
        Fitted fit(double[][] x, int[] y, long seed) {
            Hyperparameters.RbfSvm settings = new Hyperparameters.RbfSvm(1.0,
                    typicalDistance(x, seed) / Math.sqrt(2));
            return platt(x, y, seed, false, Hyperparameters.recorded(settings),
                    (tx, ty) -> SVM.fit(tx, signs(ty), new GaussianKernel(settings.sigma()), settings.options()));
        }
    },
    KNN_1("knn-1") {
        @Override
        Fitted fit(double[][] x, int[] y, long seed) {
            return knn(x, y, seed, 1);
        }
    },
    KNN_3("knn-3") {
        @Override
        Fitted fit(double[][] x, int[] y, long seed) {
            return knn(x, y, seed, 3);
        }
    },
    KNN_5("knn-5") {
        @Override
        Fitted fit(double[][] x, int[] y, long seed) {
            return knn(x, y, seed, 5);
        }
    },
    COSINE_NN("cosine-nn") {
        @Override
        Fitted fit(double[][] x, int[] y, long seed) {
            return platt(x, y, seed, false, Hyperparameters.recorded(new Hyperparameters.Neighbours(1, "cosine")),
                    CosineNearestNeighbour::new);
        }
    },
    RANDOM_FOREST("random-forest") {
        @Override
        Fitted fit(double[][] x, int[] y, long seed) {
            Hyperparameters.Forest settings = Hyperparameters.Forest.DEFAULT;
            long[] seeds = new Random(seed).longs(settings.trees()).toArray();
            RandomForest model = RandomForest.fit(FrameClassifier.FORMULA, FrameClassifier.frame(x, y),
                    settings.options(seeds));
            return withPosteriors(new FrameClassifier(model, FrameClassifier.predictors(x)),
                    Hyperparameters.recorded(settings));
        }
    },
    GRADIENT_BOOSTING("gradient-boosting") {
        @Override
        Fitted fit(double[][] x, int[] y, long seed) {
            MathEx.setSeed(seed);
            Hyperparameters.Boosting settings = Hyperparameters.Boosting.DEFAULT;
            GradientTreeBoost model = GradientTreeBoost.fit(FrameClassifier.FORMULA, FrameClassifier.frame(x, y),
                    new GradientTreeBoost.Options(settings.trees()));
            return withPosteriors(new FrameClassifier(model, FrameClassifier.predictors(x)),
                    Hyperparameters.recorded(settings));
        }
    },
    DECISION_TREE("decision-tree") {
        @Override
        Fitted fit(double[][] x, int[] y, long seed) {
            DecisionTree model = DecisionTree.fit(FrameClassifier.FORMULA, FrameClassifier.frame(x, y),
                    new DecisionTree.Options());
            return withPosteriors(new FrameClassifier(model, FrameClassifier.predictors(x)), Map.of());
        }
    },
    NAIVE_BAYES("naive-bayes") {
        @Override
        Fitted fit(double[][] x, int[] y, long seed) {
            return withPosteriors(GaussianNaiveBayes.fit(x, y), Map.of("distribution", "gaussian"));
        }
    };

    static {
        // Smile binds BLAS/LAPACK on first use; make sure it finds an OpenBLAS.
        OpenBlas.ensureLoaded();
    }

    /** Calibration recorded for models whose own posteriors are the score. */
    public static final String NATIVE = "native-posterior";
    /** Calibration recorded for models scored through a Platt sigmoid. */
    public static final String PLATT = "platt-scaling-on-20%-held-out-training-vectors";
    private static final double KEPT_VARIANCE = 0.99999;
    private static final Map<String, String> SUBSPACE = Map.of("subspace.variance", String.valueOf(KEPT_VARIANCE));

    private final String id;

    HeadAlgorithm(String id) {
        this.id = id;
    }

    /** The name stored in artifacts and used on command lines. */
    public String id() {
        return id;
    }

    /** The algorithm with this id (or enum name). */
    public static HeadAlgorithm of(String name) {
        return Arrays.stream(values())
                .filter(a -> a.id.equalsIgnoreCase(name) || a.name().equalsIgnoreCase(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown head algorithm '" + name + "'; known: "
                        + Arrays.stream(values()).map(HeadAlgorithm::id).toList()));
    }

    /** Fits a classifier that gives class probabilities ({@link Classifier#isSoft()}). */
    abstract Fitted fit(double[][] x, int[] y, long seed);

    /**
     * @param classifier the fitted model
     * @param hyperparameters its settings, for the artifact metadata
     * @param calibration how its probabilities were obtained ({@link #NATIVE} or {@link #PLATT})
     */
    record Fitted(Classifier<double[]> classifier, Map<String, String> hyperparameters, String calibration) {
    }

    private interface Trainer {
        Classifier<double[]> fit(double[][] x, int[] y);
    }

    private static Fitted withPosteriors(Classifier<double[]> model, Map<String, String> hyperparameters) {
        return new Fitted(model, hyperparameters, NATIVE);
    }

    private static Fitted knn(double[][] x, int[] y, long seed, int k) {
        return platt(x, y, seed, true, Hyperparameters.recorded(new Hyperparameters.Neighbours(k, "euclidean")),
                (tx, ty) -> KNN.fit(tx, ty, k));
    }

    /** Fits the base model on 80% of each class and its Platt sigmoid on the other 20%. */
    private static Fitted platt(double[][] x, int[] y, long seed, boolean fromVotes, Map<String, String> settings,
            Trainer trainer) {
        ScoreCalibration.HeldOut held = ScoreCalibration.HeldOut.of(x, y, seed);
        Classifier<double[]> base = trainer.fit(held.fitX(), held.fitY());
        return new Fitted(PlattCalibrated.fit(base, fromVotes, held.heldX(), held.heldY()), settings, PLATT);
    }

    /**
     * The principal subspace holding all but 0.001% of the variance: encoders that end in a LayerNorm, and L2
     * normalisation, leave exactly singular directions that LDA and QDA cannot invert.
     */
    private static PCA nonSingular(double[][] x) {
        return PCA.fit(x).getProjection(KEPT_VARIANCE);
    }

    private static int[] signs(int[] y) {
        return Arrays.stream(y).map(c -> c == 1 ? 1 : -1).toArray();
    }

    /** Root mean squared distance between random pairs: the RBF kernel's natural length scale. */
    private static double typicalDistance(double[][] x, long seed) {
        Random random = new Random(seed);
        double sum = 0;
        int pairs = 500;
        for (int n = 0; n < pairs; n++) {
            double[] a = x[random.nextInt(x.length)];
            double[] b = x[random.nextInt(x.length)];
            for (int i = 0; i < a.length; i++) {
                sum += (a[i] - b[i]) * (a[i] - b[i]);
            }
        }
        return Math.max(Math.sqrt(sum / pairs), 1e-6);
    }
}
