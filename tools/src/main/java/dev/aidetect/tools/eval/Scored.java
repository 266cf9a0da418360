package dev.aidetect.tools.eval;

/**
 * One evaluated image: its true generator (an index into the known classes, or {@link #HELD_OUT}), the network's top
 * class and its open-set scores, indexed by {@link OpenSetScore#ordinal()} (NaN for a score not computed).
 */
public record Scored(int truth, int predicted, double[] scores) {
    public static final int HELD_OUT = -1;

    /** Scored by the logit scores only. */
    static Scored of(int truth, float[] logits) {
        return of(truth, logits, null, null);
    }

    /** Scored by every score; {@code space} null leaves the feature scores out. */
    static Scored of(int truth, float[] logits, float[] features, FeatureSpace space) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            best = logits[i] > logits[best] ? i : best;
        }
        double[] scores = new double[OpenSetScore.values().length];
        for (OpenSetScore kind : OpenSetScore.values()) {
            scores[kind.ordinal()] = !kind.fromFeatures()
                    ? kind.of(logits)
                    : space == null ? Double.NaN : space.score(kind, features);
        }
        return new Scored(truth, best, scores);
    }

    boolean known() {
        return truth != HELD_OUT;
    }

    boolean correct() {
        return truth == predicted;
    }

    boolean has(OpenSetScore kind) {
        return !Double.isNaN(score(kind));
    }

    double score(OpenSetScore kind) {
        return scores[kind.ordinal()];
    }
}
