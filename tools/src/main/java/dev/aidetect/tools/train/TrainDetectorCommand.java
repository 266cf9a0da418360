package dev.aidetect.tools.train;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import dev.aidetect.embedding.TorchThreads;
import dev.aidetect.heads.ThresholdRule;
import dev.aidetect.heads.attribution.AttributionOptions;
import dev.aidetect.heads.attribution.AttributionOptions.Optimization;
import dev.aidetect.heads.attribution.Augmentation;
import dev.aidetect.heads.attribution.BatchProgress;
import dev.aidetect.heads.attribution.PixelInput;
import dev.aidetect.tools.cli.Progress;
import dev.aidetect.tools.dataset.LabelledImage;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "detector", mixinStandardHelpOptions = true, description = "Train the detection stage on pixels: a "
        + "real/fake ResNet on real/ and fake/ images (any fake/<family>/<generator>/ below fake/), with a held-out "
        + "split that picks its serving threshold; written to <out>/detection-network (serve it with "
        + "AIDETECT_CLASSIFIER_DETECTION_NETWORK and AIDETECT_CLASSIFIER_DETECTION_INPUT=pixels or fused).")
public final class TrainDetectorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--images", required = true, description = "Labelled image folder with real/ and fake/, e.g. ../shared/data/cifake-train.")
    Path images;

    @Option(names = "--out", defaultValue = "models", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--per-class", defaultValue = "0", description = "Train on a seeded sample of at most this many images per class, for a short run (0: all; default ${DEFAULT-VALUE}).")
    int perClass;

    @Option(names = "--crop", defaultValue = ""
            + AttributionOptions.DETECTOR_CROP, description = "Crop side in pixels; the whole image when it is this size (default ${DEFAULT-VALUE}).")
    int crop;

    @Option(names = "--pad", defaultValue = ""
            + AttributionOptions.DETECTOR_PAD, description = "Mid-grey border in pixels around each training image before its random crop: with --crop 32 on 32x32 images, shifts of up to N pixels each way (default ${DEFAULT-VALUE}).")
    int pad;

    @Option(names = "--depth", defaultValue = ""
            + AttributionOptions.DETECTOR_DEPTH, description = "ResNet depth: 20, 32, 44 or 56 (DJL's CIFAR ResNets), or 18, 34 or 50 for crops above 28 pixels (default ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--input", defaultValue = AttributionOptions.DETECTOR_INPUT, description = "What the network sees: rgb, or residual (the 3x3 noise residual, as attribution) (default ${DEFAULT-VALUE}).")
    String input;

    @Option(names = "--epochs", defaultValue = ""
            + AttributionOptions.DETECTOR_EPOCHS, description = "Training epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = ""
            + AttributionOptions.DETECTOR_BATCH, description = "Images per optimiser step (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--learning-rate", defaultValue = ""
            + AttributionOptions.DETECTOR_LEARNING_RATE, description = "Adam's peak learning rate, decayed along a cosine to 1%% of it by the last step (default ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--optimizer", defaultValue = "adam", description = "adam, adamw (decoupled --weight-decay) or sgd (momentum 0.9, L2 --weight-decay; the CIFAR recipe is --learning-rate 0.1 --weight-decay 5e-4) (default ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--weight-decay", defaultValue = "0", description = "Weight decay of adamw or sgd (default ${DEFAULT-VALUE}).")
    double weightDecay;

    @Mixin
    DetectionThresholdOption threshold;

    @Option(names = "--validation", defaultValue = ""
            + AttributionOptions.DETECTOR_VALIDATION, description = "Share of each class held out for validation and the threshold (default ${DEFAULT-VALUE}).")
    double validation;

    @Option(names = "--augment", split = ",", converter = TrainAttributionCommand.AugmentationConverter.class, description = "Augment half of the training crops each: jpeg (quality 70-95), blur (sigma 0-1).")
    Set<Augmentation> augment;

    @Option(names = "--patience", defaultValue = "0", description = "Stop after N epochs without a better validation result (0: train all epochs); the best epoch is kept either way.")
    int patience;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the sample, the split, the crops and the initial weights (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", description = "libtorch intra-op threads (default: the available processors).")
    Integer threads;

    @Option(names = "--checkpoints", description = "Save every epoch's weights in this folder.")
    Path checkpoints;

    @Option(names = "--resume", description = "Continue from the last epoch saved in --checkpoints.")
    boolean resume;

    @Override
    public Integer call() {
        if (resume && checkpoints == null) {
            throw new ParameterException(spec.commandLine(),
                    "--resume needs --checkpoints: the folder of the run to continue");
        }
        AttributionOptions options = options();
        ThresholdRule rule = threshold.rule();
        int cores = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        // One training thread runs every step, so libtorch's intra-op threads get all the cores; set before the
        // engine loads, which reads them once. Passive OpenMP waits: on this shared 2-core machine, with other builds
        // running, spinning threads made ResNet-20 steps 10-20 times slower (20-37 images/s against 245 passive).
        TorchThreads.apply(1, OptionalInt.of(cores), 1, "passive");
        PrintWriter err = spec.commandLine().getErr();
        List<LabelledImage> labelled = LabelledImage.collect(List.of(images));
        List<LabelledImage> chosen = ModelTraining.sample(labelled, perClass, seed);
        new ModelTraining(spec.commandLine().getOut()).trainDetectionNetwork(chosen, out, options, rule,
                checkpoints, resume, steps(err), Progress.counter("decoding", chosen.size(), err));
        return 0;
    }

    private AttributionOptions options() {
        try {
            return AttributionOptions.detectorDefaults().withNetwork(crop, depth).withInput(PixelInput.of(input))
                    .withEpochs(epochs).withBatchSize(batch).withLearningRate(learningRate)
                    .withValidationFraction(validation).withSeed(seed)
                    .withAugmentations(augment == null ? Set.of() : augment).withPatience(patience).withPad(pad)
                    .withOptimization(Optimization.of(optimizer, weightDecay));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /**
     * Within-epoch progress: a line at every tenth of an epoch (and the first step, whose pace sets the first time
     * left), overwriting itself on a terminal.
     */
    private static Consumer<BatchProgress> steps(PrintWriter err) {
        Consumer<String> lines = Progress.lines("training", err);
        return step -> {
            int tenth = Math.max(1, step.batches() / 10);
            if (step.batch() == 1 || step.batch() % tenth == 0 || step.batch() == step.batches()) {
                lines.accept(step.toString());
            }
        };
    }
}
