package dev.aidetect.tools;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import dev.aidetect.heads.AttributionOptions;
import dev.aidetect.heads.Augmentation;
import dev.aidetect.tools.submit.LabelledImage;
import dev.aidetect.tools.train.ModelTraining;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "attribution", mixinStandardHelpOptions = true, description = "Train one ResNet per family on pixel crops of fake/<family>/<generator>/ images, or import a TorchScript one.")
final class TrainAttributionCommand implements Callable<Integer> {
    @Option(names = "--images", description = "Labelled image folder: training data, or with --import the images that calibrate the unknown threshold.")
    Path images;

    @Option(names = "--out", defaultValue = "models", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--depth", defaultValue = "18", description = "ResNet depth: 18, 34 or 50.")
    int depth;

    @Option(names = "--epochs", defaultValue = "5", description = "Training epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--crop", defaultValue = "64", description = "Crop side in pixels (default ${DEFAULT-VALUE}).")
    int crop;

    @Option(names = "--augment", split = ",", converter = AugmentationConverter.class, description = "Augment half of the training crops each: jpeg (quality 70-95), blur (sigma 0-1); e.g. jpeg,blur.")
    Set<Augmentation> augment;

    @Option(names = "--patience", defaultValue = "0", description = "Stop after N epochs without a better validation result (0: train all epochs); the best epoch is kept either way.")
    int patience;

    @Option(names = "--checkpoints", description = "Save every epoch's weights under this folder (one subfolder per family).")
    Path checkpoints;

    @Option(names = "--resume", description = "Continue from the last epoch saved under --checkpoints.")
    boolean resume;

    @Option(names = "--import", description = "Import this TorchScript module (input: 3x3 noise residual of [-1, 1] centre crops, as trained here) instead of training.")
    Path module;

    @Option(names = "--classes", split = ",", description = "With --import: the module's classes in output order, e.g. biggan,stylegan.")
    List<String> classes;

    @Option(names = "--family", description = "With --import: the family the classes belong to, e.g. gan.")
    String family;

    @Option(names = "--family-network", description = "Train the family stage as a ResNet on pixels instead: one class per family under fake/ (written to family-network).")
    boolean familyNetwork;

    @Override
    public Integer call() {
        if (module != null) {
            if (classes == null || family == null) {
                throw new IllegalArgumentException("--import needs --classes (in the module's output order) and "
                        + "--family");
            }
            new ModelTraining(System.out).importAttribution(module, classes, family, crop,
                    images == null ? List.of() : LabelledImage.collect(List.of(images)), out);
            return 0;
        }
        if (images == null) {
            throw new IllegalArgumentException("give --images (a labelled folder to train on) or --import");
        }
        if (resume && checkpoints == null) {
            throw new IllegalArgumentException("--resume needs --checkpoints: the folder of the run to continue");
        }
        AttributionOptions options = AttributionOptions.defaults().withDepth(depth).withEpochs(epochs)
                .withCropSize(crop).withAugmentations(augment == null ? Set.of() : augment).withPatience(patience);
        List<LabelledImage> labelled = LabelledImage.collect(List.of(images));
        if (familyNetwork) {
            new ModelTraining(System.out).trainFamilyNetwork(labelled, out, options, checkpoints, resume);
        } else {
            new ModelTraining(System.out).trainAttribution(labelled, out, options, checkpoints, resume);
        }
        return 0;
    }

    static final class AugmentationConverter implements CommandLine.ITypeConverter<Augmentation> {
        @Override
        public Augmentation convert(String value) {
            return Augmentation.parse(value);
        }
    }
}
