package dev.aidetect.heads.attribution;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * How to train an attribution network. {@link #defaults()} suits a 2-core CPU and ~100 images per generator; change
 * what differs with the {@code with...} methods.
 *
 * @param cropSize side of the square pixel crop the network sees (never a resize: the fingerprint is in the pixels)
 * @param depth ResNet depth: 18, 34 or 50
 * @param epochs most passes over the training images, each with fresh random crops and flips
 * @param batchSize images per optimiser step
 * @param learningRate Adam's learning rate
 * @param validationFraction share of each generator's images held out for validation and calibration
 * @param unknownPercentile percentile (0-100) of the confidence of correctly attributed held-out images below which
 *        the network answers {@code unknown}
 * @param seed seed of the split, the crops and the weight initialisation
 * @param augmentations applied to half of the training crops each (none by default)
 * @param patience stop after this many epochs without a better validation result and keep the best epoch's weights;
 *        0 trains all epochs (the best epoch's weights are kept either way)
 */
public record AttributionOptions(int cropSize, int depth, int epochs, int batchSize, double learningRate,
        double validationFraction, double unknownPercentile, long seed, Set<Augmentation> augmentations,
        int patience) {
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
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be 0 (off) or more epochs, got " + patience);
        }
        // An EnumSet keeps a fixed order, so the same seed gives the same augmented crops.
        augmentations = augmentations.isEmpty()
                ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(augmentations));
    }

    /**
     * Crop 64, ResNet-18, 5 epochs of batches of 16, Adam at 0.001, 20% held out, unknown below the 5th percentile,
     * no augmentation, no early stop.
     */
    public static AttributionOptions defaults() {
        return new AttributionOptions(64, 18, 5, 16, 1e-3, 0.2, 5, 42, Set.of(), 0);
    }

    public AttributionOptions withCropSize(int size) {
        return new AttributionOptions(size, depth, epochs, batchSize, learningRate, validationFraction,
                unknownPercentile, seed, augmentations, patience);
    }

    public AttributionOptions withDepth(int layers) {
        return new AttributionOptions(cropSize, layers, epochs, batchSize, learningRate, validationFraction,
                unknownPercentile, seed, augmentations, patience);
    }

    public AttributionOptions withEpochs(int count) {
        return new AttributionOptions(cropSize, depth, count, batchSize, learningRate, validationFraction,
                unknownPercentile, seed, augmentations, patience);
    }

    public AttributionOptions withBatchSize(int size) {
        return new AttributionOptions(cropSize, depth, epochs, size, learningRate, validationFraction,
                unknownPercentile, seed, augmentations, patience);
    }

    public AttributionOptions withLearningRate(double rate) {
        return new AttributionOptions(cropSize, depth, epochs, batchSize, rate, validationFraction,
                unknownPercentile, seed, augmentations, patience);
    }

    public AttributionOptions withUnknownPercentile(double percentile) {
        return new AttributionOptions(cropSize, depth, epochs, batchSize, learningRate, validationFraction,
                percentile, seed, augmentations, patience);
    }

    public AttributionOptions withSeed(long newSeed) {
        return new AttributionOptions(cropSize, depth, epochs, batchSize, learningRate, validationFraction,
                unknownPercentile, newSeed, augmentations, patience);
    }

    public AttributionOptions withAugmentations(Set<Augmentation> chosen) {
        return new AttributionOptions(cropSize, depth, epochs, batchSize, learningRate, validationFraction,
                unknownPercentile, seed, chosen, patience);
    }

    public AttributionOptions withPatience(int epochsWithoutImprovement) {
        return new AttributionOptions(cropSize, depth, epochs, batchSize, learningRate, validationFraction,
                unknownPercentile, seed, augmentations, epochsWithoutImprovement);
    }
}
