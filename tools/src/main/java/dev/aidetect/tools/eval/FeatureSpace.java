package dev.aidetect.tools.eval;

import java.util.List;

/** The feature-space open-set scores, fitted on a network's features of its training images. */
record FeatureSpace(MahalanobisScore mahalanobis, NearestNeighbourScore neighbours) {
    static final int NEIGHBOURS = 10;

    static FeatureSpace fit(List<float[]> features, int[] labels, int classes) {
        return new FeatureSpace(MahalanobisScore.fit(features, labels, classes),
                NearestNeighbourScore.fit(features, Math.min(NEIGHBOURS, features.size())));
    }

    double score(OpenSetScore kind, float[] features) {
        return switch (kind) {
            case MAHALANOBIS -> mahalanobis.score(features);
            case NEAREST_NEIGHBOURS -> neighbours.score(features);
            default -> throw new IllegalArgumentException(kind.label() + " is computed from logits, not features");
        };
    }
}
