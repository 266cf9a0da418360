package dev.aidetect.heads.attribution;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * How to train a network on pixels. {@link #defaults()} suits attribution on a 2-core CPU and ~100 images per
 * generator; {@link #detectorDefaults()} the real/fake network on 32x32 images; change what differs with the
 * {@code with...} methods.
 *
 * @param cropSize side of the square pixel crop the network sees (never a resize: the fingerprint is in the pixels)
 * @param depth ResNet depth: 18, 34 or 50 (DJL's ImageNet ResNets; crops above 28 pixels), or 20, 32, 44 or 56
 *        (DJL's CIFAR ResNets, 16-64 filters; any crop)
 * @param epochs most passes over the training images, each with fresh random crops and flips
 * @param batchSize images per optimiser step
 * @param learningRate Adam's learning rate (the peak, with a cosine schedule)
 * @param validationFraction share of each class's images held out for validation and calibration
 * @param unknownPercentile percentile (0-100) of the confidence of correctly attributed held-out images below which
 *        the network answers {@code unknown}
 * @param seed seed of the split, the crops and the weight initialisation
 * @param augmentations applied to half of the training crops each (none by default)
 * @param patience stop after this many epochs without a better validation result and keep the best epoch's weights;
 *        0 trains all epochs (the best epoch's weights are kept either way)
 * @param input what the network sees of its crop: the noise residual or plain RGB
 * @param schedule how the learning rate moves over the run
 * @param pad mid-grey border, in pixels, around each training image before its random crop (0: crops stay inside the
 *        image); with a crop the size of the image, shifts of up to {@code pad} pixels each way, as CIFAR training does
 * @param optimization the optimiser and its weight decay
 */
public record AttributionOptions(int cropSize, int depth, int epochs, int batchSize, double learningRate,
        double validationFraction, double unknownPercentile, long seed, Set<Augmentation> augmentations,
        int patience, PixelInput input, Schedule schedule, int pad, Optimization optimization) {
    /** DJL's ImageNet-layout ResNets, for crops above {@value #CIFAR_LAYOUT_MAX_CROP} pixels. */
    private static final Set<Integer> DEPTHS = Set.of(18, 34, 50);
    /** DJL's CIFAR-layout ResNets (6n + 2 layers), for crops of any side. */
    private static final Set<Integer> CIFAR_DEPTHS = Set.of(20, 32, 44, 56);
    /** DJL builds its CIFAR layout for images of at most this side, its ImageNet layout above. */
    static final int CIFAR_LAYOUT_MAX_CROP = 28;
    private static final int MIN_CROP = 16;

    /** Whether {@code depth} is one of DJL's CIFAR ResNets (three stages of 16-64 filters). */
    static boolean isCifarDepth(int depth) {
        return CIFAR_DEPTHS.contains(depth);
    }

    /** The learning rate over a run. */
    public enum Schedule {
        /** The same rate throughout. */
        FIXED,
        /** From the peak down to 0 along half a cosine over all steps of all epochs. */
        COSINE
    }

    public AttributionOptions {
        if (cropSize < MIN_CROP) {
            throw new IllegalArgumentException("crop size must be at least " + MIN_CROP + " pixels, got " + cropSize);
        }
        if (!CIFAR_DEPTHS.contains(depth) && !(DEPTHS.contains(depth) && cropSize > CIFAR_LAYOUT_MAX_CROP)) {
            throw new IllegalArgumentException("ResNet depth must be 20, 32, 44 or 56 (DJL's CIFAR ResNets, any crop), "
                    + "or 18, 34 or 50 with crops above " + CIFAR_LAYOUT_MAX_CROP + " pixels; got depth " + depth
                    + " with crop " + cropSize);
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
        if (pad < 0 || pad > cropSize / 2) {
            throw new IllegalArgumentException(
                    "pad must be 0 to half the crop (" + cropSize / 2 + ") pixels, got " + pad);
        }
        if (input == null || schedule == null || optimization == null) {
            throw new IllegalArgumentException("pixel input, learning-rate schedule and optimiser must be given");
        }
        // An EnumSet keeps a fixed order, so the same seed gives the same augmented crops.
        augmentations = augmentations.isEmpty()
                ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(augmentations));
    }

    /**
     * Crop 64, ResNet-18, 5 epochs of batches of 16, Adam at 0.001, 20% held out, unknown below the 5th percentile,
     * no augmentation, no early stop, noise residuals, a fixed learning rate.
     */
    public static AttributionOptions defaults() {
        return new AttributionOptions(64, 18, 5, 16, 1e-3, 0.2, 5, 42, Set.of(), 0, PixelInput.RESIDUAL,
                Schedule.FIXED, 0, Optimization.ADAM);
    }

    /**
     * The real/fake network's crop: random 28x28 crops of a 32x32 image in training (shifts of up to 4 pixels, a
     * regulariser), the centre crop at inference.
     */
    public static final int DETECTOR_CROP = 28;
    /** The real/fake network's depth: DJL's CIFAR ResNet-20. */
    public static final int DETECTOR_DEPTH = 20;
    public static final int DETECTOR_EPOCHS = 30;
    public static final int DETECTOR_BATCH = 64;
    public static final double DETECTOR_LEARNING_RATE = 2e-3;
    public static final double DETECTOR_VALIDATION = 0.1;
    /** The real/fake network's input, as {@link PixelInput#of} reads it. */
    public static final String DETECTOR_INPUT = "rgb";
    /** The real/fake network's training border: none, its crops shift inside the image. */
    public static final int DETECTOR_PAD = 0;

    /**
     * The real/fake network on 32x32 images (CIFAKE), the {@code DETECTOR_*} values: see the heads README for the
     * measurements behind each choice. A cosine learning rate, no augmentation beyond crops and flips.
     */
    public static AttributionOptions detectorDefaults() {
        return new AttributionOptions(DETECTOR_CROP, DETECTOR_DEPTH, DETECTOR_EPOCHS, DETECTOR_BATCH,
                DETECTOR_LEARNING_RATE, DETECTOR_VALIDATION, 5, 42, Set.of(), 0, PixelInput.of(DETECTOR_INPUT),
                Schedule.COSINE, DETECTOR_PAD, Optimization.ADAM);
    }

    public AttributionOptions withCropSize(int size) {
        return new AttributionOptions(size, depth, epochs, batchSize, learningRate, validationFraction,
                unknownPercentile, seed, augmentations, patience, input, schedule, pad, optimization);
    }

    public AttributionOptions withDepth(int layers) {
        return new AttributionOptions(cropSize, layers, epochs, batchSize, learningRate, validationFraction,
                unknownPercentile, seed, augmentations, patience, input, schedule, pad, optimization);
    }

    /** Crop and depth together, since which depths a crop allows depends on its size. */
    public AttributionOptions withNetwork(int size, int layers) {
        return new AttributionOptions(size, layers, epochs, batchSize, learningRate, validationFraction,
                unknownPercentile, seed, augmentations, patience, input, schedule, pad, optimization);
    }

    public AttributionOptions withEpochs(int count) {
        return new AttributionOptions(cropSize, depth, count, batchSize, learningRate, validationFraction,
                unknownPercentile, seed, augmentations, patience, input, schedule, pad, optimization);
    }

    public AttributionOptions withBatchSize(int size) {
        return new AttributionOptions(cropSize, depth, epochs, size, learningRate, validationFraction,
                unknownPercentile, seed, augmentations, patience, input, schedule, pad, optimization);
    }

    public AttributionOptions withLearningRate(double rate) {
        return new AttributionOptions(cropSize, depth, epochs, batchSize, rate, validationFraction,
                unknownPercentile, seed, augmentations, patience, input, schedule, pad, optimization);
    }

    public AttributionOptions withValidationFraction(double fraction) {
        return new AttributionOptions(cropSize, depth, epochs, batchSize, learningRate, fraction,
                unknownPercentile, seed, augmentations, patience, input, schedule, pad, optimization);
    }

    public AttributionOptions withUnknownPercentile(double percentile) {
        return new AttributionOptions(cropSize, depth, epochs, batchSize, learningRate, validationFraction,
                percentile, seed, augmentations, patience, input, schedule, pad, optimization);
    }

    public AttributionOptions withSeed(long newSeed) {
        return new AttributionOptions(cropSize, depth, epochs, batchSize, learningRate, validationFraction,
                unknownPercentile, newSeed, augmentations, patience, input, schedule, pad, optimization);
    }

    public AttributionOptions withAugmentations(Set<Augmentation> chosen) {
        return new AttributionOptions(cropSize, depth, epochs, batchSize, learningRate, validationFraction,
                unknownPercentile, seed, chosen, patience, input, schedule, pad, optimization);
    }

    public AttributionOptions withPatience(int epochsWithoutImprovement) {
        return new AttributionOptions(cropSize, depth, epochs, batchSize, learningRate, validationFraction,
                unknownPercentile, seed, augmentations, epochsWithoutImprovement, input, schedule, pad, optimization);
    }

    public AttributionOptions withInput(PixelInput seen) {
        return new AttributionOptions(cropSize, depth, epochs, batchSize, learningRate, validationFraction,
                unknownPercentile, seed, augmentations, patience, seen, schedule, pad, optimization);
    }

    public AttributionOptions withSchedule(Schedule rates) {
        return new AttributionOptions(cropSize, depth, epochs, batchSize, learningRate, validationFraction,
                unknownPercentile, seed, augmentations, patience, input, rates, pad, optimization);
    }

    public AttributionOptions withPad(int border) {
        return new AttributionOptions(cropSize, depth, epochs, batchSize, learningRate, validationFraction,
                unknownPercentile, seed, augmentations, patience, input, schedule, border, optimization);
    }

    public AttributionOptions withOptimization(Optimization chosen) {
        return new AttributionOptions(cropSize, depth, epochs, batchSize, learningRate, validationFraction,
                unknownPercentile, seed, augmentations, patience, input, schedule, pad, chosen);
    }

    /**
     * The optimiser of a run: Adam (the default, no weight decay), AdamW (decoupled weight decay), or SGD with
     * momentum 0.9 and L2 weight decay (the CIFAR ResNet recipe: learning rate 0.1, decay 5e-4).
     *
     * @param kind which optimiser
     * @param weightDecay its weight decay, 0 or more (Adam: must be 0)
     */
    public record Optimization(Kind kind, double weightDecay) {
        public static final Optimization ADAM = new Optimization(Kind.ADAM, 0);
        /** SGD's momentum. */
        public static final float MOMENTUM = 0.9f;

        public enum Kind {
            ADAM, ADAMW, SGD
        }

        public Optimization {
            if (kind == null) {
                throw new IllegalArgumentException("the optimiser must be given: adam, adamw or sgd");
            }
            if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
                throw new IllegalArgumentException("weight decay must be 0 or more, got " + weightDecay);
            }
            if (kind == Kind.ADAM && weightDecay > 0) {
                throw new IllegalArgumentException("Adam here has no weight decay (got " + weightDecay
                        + "); use adamw for decoupled decay or sgd for the CIFAR recipe");
            }
        }

        /** Reads {@code adam}, {@code adamw} or {@code sgd} (any case) with a weight decay. */
        public static Optimization of(String name, double weightDecay) {
            Kind kind;
            try {
                kind = Kind.valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown optimiser '" + name + "': use adam, adamw or sgd");
            }
            return new Optimization(kind, weightDecay);
        }
    }
}
