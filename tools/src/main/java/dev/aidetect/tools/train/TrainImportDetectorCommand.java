package dev.aidetect.tools.train;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

import dev.aidetect.embedding.TorchThreads;
import dev.aidetect.heads.ThresholdRule;
import dev.aidetect.heads.attribution.AttributionTrainer;
import dev.aidetect.tools.cli.Progress;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "import-detector", mixinStandardHelpOptions = true, description = "Import a real/fake network "
        + "trained elsewhere as TorchScript (deploy/models/train_detector.py: RGB crops in, logits FAKE, REAL out) as "
        + "a detection network, its serving threshold chosen on the images it held out; written to "
        + "<out>/detection-network, served and ensembled as one trained by 'train detector' is.")
public final class TrainImportDetectorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--module", required = true, paramLabel = "FILE", description = "The TorchScript file "
            + "(train_detector.py export).")
    Path module;

    @Option(names = "--images", required = true, description = "The labelled folder it was trained on, e.g. "
            + "../shared/data/cifake-train.")
    Path images;

    @Option(names = "--held-out", required = true, paramLabel = "FILE", description = "The images it held out, one "
            + "path a line relative to --images (the heldout.txt train_detector.py writes).")
    Path heldOutList;

    @Option(names = "--id", defaultValue = "detection-imported", description = "Model id, e.g. "
            + "detection-wrn-16-4-rgb (default ${DEFAULT-VALUE}).")
    String id;

    @Option(names = "--crop", defaultValue = "32", description = "The crop side it was trained on (default "
            + "${DEFAULT-VALUE}).")
    int crop;

    @Option(names = "--epochs", defaultValue = "0", description = "The epochs it was trained for, as recorded "
            + "(default ${DEFAULT-VALUE}: not known).")
    int epochs;

    @Option(names = "--seed", defaultValue = "42", description = "The seed of its held-out split, as recorded (default "
            + "${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    DetectionThresholdOption threshold;

    @Option(names = "--out", defaultValue = "models", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() {
        if (crop < 1) {
            throw new ParameterException(spec.commandLine(), "--crop must be positive, got " + crop);
        }
        ThresholdRule rule = threshold.rule();
        TorchThreads.apply(1, OptionalInt.of(Runtime.getRuntime().availableProcessors()), 1, "passive");
        ModelTraining training = new ModelTraining(spec.commandLine().getOut());
        training.importDetector(module, id, crop, epochs, seed, listedHeldOut(spec, training, images, heldOutList),
                rule, out);
        return 0;
    }

    /** The images named in {@code --held-out}, decoded with progress; a usage error when the list does not fit. */
    static AttributionTrainer.HeldOut listedHeldOut(CommandSpec spec, ModelTraining training, Path images,
            Path list) {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return training.listedHeldOut(images, list, total -> Progress.counter("decoding", total, err));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--held-out: " + e.getMessage());
        }
    }
}
