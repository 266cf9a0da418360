package dev.aidetect.heads;

import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import smile.classification.Classifier;
import smile.classification.LogisticRegression;

/**
 * The learning algorithms a vector head can be trained with. Each fits a Smile {@link Classifier} on preprocessed
 * vectors with class indices {@code 0..k-1}; the artifact stores the fitted classifier whichever it is, so adding an
 * algorithm (LDA, SVM, kNN, ...) adds a constant here and changes nothing in the artifact format.
 */
public enum HeadAlgorithm {
    /** The linear probe: L2-regularised logistic regression (binomial or multinomial). */
    LOGISTIC_REGRESSION("logistic-regression") {
        @Override
        Fitted fit(double[][] x, int[] y, long seed) {
            LogisticRegression.Options options = new LogisticRegression.Options(0.1, 1e-5, 500);
            return new Fitted(LogisticRegression.fit(x, y, options), settings(options.toProperties()));
        }
    };

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
     */
    record Fitted(Classifier<double[]> classifier, Map<String, String> hyperparameters) {
    }

    private static Map<String, String> settings(Properties properties) {
        Map<String, String> settings = new TreeMap<>();
        properties.forEach((key, value) -> settings.put(key.toString(), value.toString()));
        return settings;
    }
}
