package dev.aidetect.heads;

import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.TreeMap;

import smile.classification.LogisticRegression;
import smile.classification.RandomForest;
import smile.classification.SVM;
import smile.model.cart.SplitRule;

/**
 * The heads' hyperparameters by name: each algorithm's settings are a record whose components build Smile's options
 * and are written into the head's metadata as they were used, so what an artifact says it was trained with cannot
 * drift from what trained it.
 */
final class Hyperparameters {
    private Hyperparameters() {
    }

    /** The linear probe: L2 penalty, convergence tolerance, most iterations. */
    record Logistic(double lambda, double tolerance, int maxIterations) {
        static final Logistic DEFAULT = new Logistic(0.1, 1e-5, 500);

        LogisticRegression.Options options() {
            return new LogisticRegression.Options(lambda, tolerance, maxIterations);
        }
    }

    /** A linear soft-margin SVM's penalty. */
    record Svm(double c) {
        SVM.Options options() {
            return new SVM.Options(c);
        }
    }

    /** An RBF-kernel SVM: the penalty and the kernel's width. */
    record RbfSvm(double c, double sigma) {
        SVM.Options options() {
            return new Svm(c).options();
        }
    }

    /**
     * A random forest: trees, features tried per split (0: Smile's default, the square root of the dimension), the
     * deepest a tree grows, the fewest vectors in a leaf, and the share of vectors each tree samples.
     */
    record Forest(int trees, int featuresPerSplit, int maxDepth, int nodeSize, double sampleShare) {
        static final Forest DEFAULT = new Forest(100, 0, 20, 5, 1.0);

        RandomForest.Options options(long[] seeds) {
            return new RandomForest.Options(trees, featuresPerSplit, SplitRule.GINI, maxDepth, 0, nodeSize,
                    sampleShare, null, seeds, null);
        }
    }

    /** Gradient-boosted trees: how many. */
    record Boosting(int trees) {
        static final Boosting DEFAULT = new Boosting(100);
    }

    /** kNN's neighbours. */
    record Neighbours(int k, String distance) {
    }

    /** The record's components by name, as the artifact's metadata records them. */
    static Map<String, String> recorded(Record settings) {
        Map<String, String> values = new TreeMap<>();
        for (RecordComponent component : settings.getClass().getRecordComponents()) {
            try {
                values.put(component.getName(), String.valueOf(component.getAccessor().invoke(settings)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + component.getName() + " of " + settings, e);
            }
        }
        return values;
    }
}
