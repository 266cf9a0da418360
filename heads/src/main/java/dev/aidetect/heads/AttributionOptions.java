package dev.aidetect.heads;

import java.util.Set;

/**
 * How to train an attribution network. {@link #defaults()} suits a 2-core CPU and ~100 images per generator; change
 * what differs with the {@code with...} methods.
 *
 * @param cropSize side of the square pixel crop the network sees (never a resize: the fingerprint is in the pixels)
 * @param depth ResNet depth: 18, 34 or 50
 * @param epochs passes over the training images, each with fresh random crops and flips
 * @param batchSize images per optimiser step
 * @param learningRate Adam's learning rate
 * @param validationFraction share of each generator's images held out for validation and calibration
 * @param unknownPercentile percentile (0-100) of the confidence of correctly attributed held-out images below which
 *        the network answers {@code unknown}
 * @param seed seed of the split, the crops and the weight initialisation
 */
public record AttributionOptions(int cropSize, int depth, int epochs, int batchSize, double learningRate,
        double validationFraction, double unknownPercentile, long seed) {
    private static final Set<Integer> DEPTHS = Set.of(18, 34, 50);
    private static final int MIN_CROP = 32;

    public AttributionOptions {
        if (!DEPTHS.contains(depth)) {
            throw new IllegalArgumentException("ResNet depth must be 18, 34 or 50, got " + depth);
        }
        if (cropSize < MIN_CROP) {
            throw new IllegalArgumentException("crop size must be at least " + MIN_CROP + " pixels, got " + cropSize);
        }
        if (epochs < 1 || batchSize < 2) {
            throw new IllegalArgumentException(
                    "need at least 1 epoch and batches of at least 2, got " + epochs + " and " + batchSize);
        }
        if (unknownPercentile < 0 || unknownPercentile > 100) {
            throw new IllegalArgumentException("unknown percentile must be within 0..100, got " + unknownPercentile);
        }
    }

    /** Crop 64, ResNet-18, 5 epochs of batches of 16, Adam at 0.001, 20% held out, unknown below the 5th percentile. */
    public static AttributionOptions defaults() {
        return new AttributionOptions(64, 18, 5, 16, 1e-3, 0.2, 5, 42);
    }

    public AttributionOptions withCropSize(int size) {
        return new AttributionOptions(size, depth, epochs, batchSize, learningRate, validationFraction,
                unknownPercentile, seed);
    }

    public AttributionOptions withDepth(int layers) {
        return new AttributionOptions(cropSize, layers, epochs, batchSize, learningRate, validationFraction,
                unknownPercentile, seed);
    }

    public AttributionOptions withEpochs(int count) {
        return new AttributionOptions(cropSize, depth, count, batchSize, learningRate, validationFraction,
                unknownPercentile, seed);
    }

    public AttributionOptions withBatchSize(int size) {
        return new AttributionOptions(cropSize, depth, epochs, size, learningRate, validationFraction,
                unknownPercentile, seed);
    }

    public AttributionOptions withLearningRate(double rate) {
        return new AttributionOptions(cropSize, depth, epochs, batchSize, rate, validationFraction,
                unknownPercentile, seed);
    }

    public AttributionOptions withUnknownPercentile(double percentile) {
        return new AttributionOptions(cropSize, depth, epochs, batchSize, learningRate, validationFraction,
                percentile, seed);
    }

    public AttributionOptions withSeed(long newSeed) {
        return new AttributionOptions(cropSize, depth, epochs, batchSize, learningRate, validationFraction,
                unknownPercentile, newSeed);
    }
}
