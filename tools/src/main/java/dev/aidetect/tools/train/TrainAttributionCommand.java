package dev.aidetect.tools.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import dev.aidetect.heads.attribution.AttributionOptions;
import dev.aidetect.heads.attribution.Augmentation;
import dev.aidetect.tools.cli.KafkaClusterOption;
import dev.aidetect.tools.cli.Progress;
import dev.aidetect.tools.dataset.LabelledImage;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "attribution", mixinStandardHelpOptions = true, description = "Train one ResNet per family on pixel crops of fake/<family>/<generator>/ images (a folder, or "
        + "labelled ImageSubmitted records replayed from a topic), or import a TorchScript one.")
public final class TrainAttributionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--images", description = "Labelled image folder: training data, or with --import the images that calibrate the unknown threshold.")
    Path images;

    @Option(names = "--topic", description = "Instead of --images: replay labelled ImageSubmitted records (FAKE with family, generator and inline content) from this topic, e.g. images.ingest, from its earliest offset to its current end.")
    String topic;

    @Mixin
    KafkaClusterOption kafka;

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
    public Integer call() throws IOException {
        if (images != null && topic != null) {
            throw new ParameterException(spec.commandLine(),
                    "give either --images or --topic, not both: they are two sources of "
                            + "the same labelled images");
        }
        if (module == null && images == null && topic == null) {
            throw new ParameterException(spec.commandLine(),
                    "give --images (a labelled folder to train on), --topic (a topic of "
                            + "labelled ImageSubmitted records, e.g. images.ingest) or --import");
        }
        if (module == null && resume && checkpoints == null) {
            throw new ParameterException(spec.commandLine(),
                    "--resume needs --checkpoints: the folder of the run to continue");
        }
        if (module != null && (classes == null || family == null)) {
            throw new ParameterException(spec.commandLine(),
                    "--import needs --classes (in the module's output order) and "
                            + "--family");
        }
        if (topic == null) {
            train(images == null ? List.of() : LabelledImage.collect(List.of(images)));
            return 0;
        }
        // The replayed images go through a temporary fake/<family>/<generator>/ folder, so they train exactly as a
        // labelled folder does.
        try (LabelledImageReplay.Replayed replayed = LabelledImageReplay.toTemporaryFolder(kafka.reachable(), topic,
                total -> Progress.counter("replaying", total, spec.commandLine().getErr()))) {
            spec.commandLine().getOut().println(replayed.summary(topic));
            if (replayed.written() == 0) {
                throw new IllegalArgumentException("topic " + topic + " holds no labelled fakes to train on; submit "
                        + "images labelled FAKE with a family, a generator and inline content");
            }
            train(replayed.images());
        }
        return 0;
    }

    private void train(List<LabelledImage> labelled) {
        ModelTraining training = new ModelTraining(spec.commandLine().getOut());
        if (module != null) {
            training.importAttribution(module, classes, family, crop, labelled, out);
            return;
        }
        AttributionOptions options = AttributionOptions.defaults().withDepth(depth).withEpochs(epochs)
                .withCropSize(crop).withAugmentations(augment == null ? Set.of() : augment).withPatience(patience);
        if (familyNetwork) {
            training.trainFamilyNetwork(labelled, out, options, checkpoints, resume);
        } else {
            training.trainAttribution(labelled, out, options, checkpoints, resume);
        }
    }

    static final class AugmentationConverter implements CommandLine.ITypeConverter<Augmentation> {
        @Override
        public Augmentation convert(String value) {
            return Augmentation.parse(value);
        }
    }
}
