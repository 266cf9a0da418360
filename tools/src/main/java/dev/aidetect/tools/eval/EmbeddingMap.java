package dev.aidetect.tools.eval;

import java.util.ArrayList;
import java.util.List;

import smile.manifold.TSNE;

/**
 * The report's 2-D map of embedding vectors: Smile's exact t-SNE ({@link TSNE}, perplexity 30, 500 iterations) on a
 * bounded {@link EmbeddingSample}, each point keeping its generator for its colour. t-SNE keeps neighbourhoods, not
 * distances: clusters that separate say the encoder tells those images apart; their sizes and the gaps between them
 * mean little.
 *
 * @param points the map's points, one per sampled vector
 * @param sampled how many vectors it drew
 */
record EmbeddingMap(List<Svg.Point> points, int sampled) {
    /** Fewer points than this make no useful map (perplexity 30 needs about 90 neighbours). */
    static final int MIN_POINTS = 100;
    private static final int ITERATIONS = 500;

    /** The map of the sample, or {@code null} when it holds fewer than {@link #MIN_POINTS} vectors. */
    static EmbeddingMap of(List<EmbeddingSample.Vector> sample) {
        if (sample.size() < MIN_POINTS) {
            return null;
        }
        int dims = sample.getFirst().values().length;
        // Smile takes a square matrix for a distance matrix: a zero column more changes no distance.
        int width = sample.size() == dims ? dims + 1 : dims;
        double[][] data = new double[sample.size()][width];
        for (int i = 0; i < sample.size(); i++) {
            float[] values = sample.get(i).values();
            for (int j = 0; j < Math.min(dims, values.length); j++) {
                data[i][j] = values[j];
            }
        }
        TSNE tsne = TSNE.fit(data, new TSNE.Options(2, 30, 200, 12, ITERATIONS));
        double[][] xy = tsne.coordinates();
        List<Svg.Point> points = new ArrayList<>(xy.length);
        for (int i = 0; i < xy.length; i++) {
            points.add(new Svg.Point(xy[i][0], xy[i][1], sample.get(i).generator()));
        }
        return new EmbeddingMap(points, sample.size());
    }
}
