package dev.aidetect.tools;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import dev.aidetect.heads.AttributionOptions;
import dev.aidetect.tools.submit.LabelledImage;
import dev.aidetect.tools.train.ModelTraining;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "attribution", mixinStandardHelpOptions = true, description = "Train one ResNet per family on pixel crops of fake/<family>/<generator>/ images.")
final class TrainAttributionCommand implements Callable<Integer> {
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
