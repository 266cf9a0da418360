package dev.aidetect.tools.eval;

/**
 * How sure a network is that an input comes from a known class; higher means more known. From the logits: the
 * maximum softmax probability is what the attribution stage serves; the maximum logit and the energy (log-sum-exp of
 * the logits) keep the magnitude that softmax normalises away (Hendrycks and Gimpel 2017; Liu et al. 2020; Vaze et
 * al. 2022). From the penultimate features ({@link FeatureSpace}, fitted on the training images): minus the
 * Mahalanobis distance to the nearest class mean (Lee et al. 2018) and minus the distance to the k-th nearest
 * normalised training feature (Sun et al. 2022).
 */
public enum OpenSetScore {
    MAX_SOFTMAX("max softmax"), MAX_LOGIT("max logit"), ENERGY("energy"), MAHALANOBIS(
            "mahalanobis"), NEAREST_NEIGHBOURS("kNN (k=" + FeatureSpace.NEIGHBOURS + ")");

    private final String label;

    OpenSetScore(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    boolean fromFeatures() {
        return this == MAHALANOBIS || this == NEAREST_NEIGHBOURS;
    }

    /** A logit score; feature scores come from {@link FeatureSpace#score}. */
    public double of(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double sum = 0;
        for (float logit : logits) {
            sum += Math.exp(logit - max);
        }
        return switch (this) {
            case MAX_SOFTMAX -> 1 / sum;
            case MAX_LOGIT -> max;
            case ENERGY -> max + Math.log(sum);
            case MAHALANOBIS, NEAREST_NEIGHBOURS -> throw new IllegalArgumentException(label
                    + " is computed from features, not logits");
        };
    }
}
