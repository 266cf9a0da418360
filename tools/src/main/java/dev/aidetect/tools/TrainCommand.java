package dev.aidetect.tools;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import dev.aidetect.heads.AttributionOptions;
import dev.aidetect.tools.submit.LabelledImage;
import dev.aidetect.tools.train.ModelTraining;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true, description = "Train the pipeline's models.", subcommands = {
        TrainCommand.Heads.class, TrainCommand.Attribution.class})
final class TrainCommand {

    @Command(name = "heads", mixinStandardHelpOptions = true, description = "Train the detection head (REAL/FAKE) and the family head (gan/diffusion) on encoder vectors "
            + "of a labelled image folder (real/, fake/<family>/<generator>/).")
    static final class Heads implements Callable<Integer> {
        @Option(names = "--images", required = true, description = "Labelled image folder.")
        Path images;

        @Option(names = "--encoder", defaultValue = "deploy/models/tiny-clip-vit/manifest.json", description = "Encoder manifest (default ${DEFAULT-VALUE}).")
        Path encoder;

        @Option(names = "--out", defaultValue = "models", description = "Output folder (default ${DEFAULT-VALUE}).")
        Path out;

        @Override
        public Integer call() {
            List<LabelledImage> files = LabelledImage.collect(List.of(images));
            new ModelTraining(System.out).trainHeads(encoder, files, out,
                    Progress.counter("embedding", files.size()));
            return 0;
        }
    }

    @Command(name = "attribution", mixinStandardHelpOptions = true, description = "Train one ResNet per family on pixel crops of fake/<family>/<generator>/ images.")
    static final class Attribution implements Callable<Integer> {
        @Option(names = "--images", required = true, description = "Labelled image folder.")
        Path images;

        @Option(names = "--out", defaultValue = "models", description = "Output folder (default ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--depth", defaultValue = "18", description = "ResNet depth: 18, 34 or 50.")
        int depth;

        @Option(names = "--epochs", defaultValue = "5", description = "Training epochs (default ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--crop", defaultValue = "64", description = "Crop side in pixels (default ${DEFAULT-VALUE}).")
        int crop;

        @Override
        public Integer call() {
            AttributionOptions options = AttributionOptions.defaults().withDepth(depth).withEpochs(epochs)
                    .withCropSize(crop);
            new ModelTraining(System.out).trainAttribution(LabelledImage.collect(List.of(images)), out, options);
            return 0;
        }
    }
}
