package dev.aidetect.tools.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import dev.aidetect.heads.attribution.AttributionOptions;
import dev.aidetect.tools.dataset.LabelledImage;
import dev.aidetect.tools.samples.SampleSetWriter;
import dev.aidetect.tools.samples.SyntheticGenerator;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "family", mixinStandardHelpOptions = true, description = "Compare the family stage as a vector head "
        + "(on the encoder's vectors) and as a ResNet on pixels, trained and tested on the same labelled folders "
        + "(default: fresh stand-in sample sets, seeds 8 and 9).")
public final class EvalFamilyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--train", description = "Labelled training folder (fake/<family>/<generator>/).")
    Path train;

    @Option(names = "--test", description = "Labelled test folder.")
    Path test;

    @Option(names = "--per-generator", defaultValue = "60", description = "Stand-in images per generator when no folders are given (default ${DEFAULT-VALUE}; the test set gets half).")
    int perGenerator;

    @Option(names = "--encoder", defaultValue = "deploy/models/tiny-clip-vit/manifest.json", description = "Encoder manifest (default ${DEFAULT-VALUE}).")
    Path encoder;

    @Option(names = "--epochs", defaultValue = "8", description = "Most epochs of the pixel network (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--crop", defaultValue = "64", description = "Crop side of the pixel network (default ${DEFAULT-VALUE}).")
    int crop;

    @Override
    public Integer call() throws IOException {
        Path work = Files.createTempDirectory("aidetect-eval-family");
        if ((train == null) != (test == null)) {
            throw new ParameterException(spec.commandLine(),
                    "give both --train and --test, or neither for stand-in sample sets");
        }
        if (train == null) {
            List<SyntheticGenerator> fakes = Stream.of(SyntheticGenerator.values())
                    .filter(g -> g != SyntheticGenerator.REAL).toList();
            train = work.resolve("train");
            test = work.resolve("test");
            SampleSetWriter.write(train, fakes, perGenerator, 224, 8, false, n -> {
            });
            SampleSetWriter.write(test, fakes, Math.max(2, perGenerator / 2), 224, 9, false, n -> {
            });
        }
        AttributionOptions options = AttributionOptions.defaults().withEpochs(epochs).withCropSize(crop)
                .withPatience(3);
        new FamilyComparison(spec.commandLine().getOut()).compare(encoder, LabelledImage.collect(List.of(train)),
                LabelledImage.collect(List.of(test)), options, work.resolve("models"));
        return 0;
    }
}
