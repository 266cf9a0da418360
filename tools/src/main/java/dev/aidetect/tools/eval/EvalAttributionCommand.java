package dev.aidetect.tools.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.aidetect.heads.attribution.AttributionOptions;
import dev.aidetect.tools.samples.UpsamplingPipeline;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "attribution", mixinStandardHelpOptions = true, description = {
        "Held-out-generator experiment on real pixels: real photos upsampled x4 by several pipelines (nearest, "
                + "bilinear, bicubic, lanczos, tconv-a, tconv-b, pixelshuffle) stand in for generators; a ResNet "
                + "learns all but one, and fresh photos of every pipeline are attributed.",
        "Prints the per-generator table (incl. unknown) and the open-set trade-off for max softmax, max logit, "
                + "energy, and the feature-space Mahalanobis and kNN distances, scoring by the centre crop (as served) and "
                + "by the mean of five crops."})
public final class EvalAttributionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--photos", required = true, description = "A folder of real photos to upsample, e.g. "
            + "../shared/data/cifake-dev/real.")
    Path photos;

    @Option(names = "--hold-out", defaultValue = "tconv-b", description = "Pipeline kept out of training (default ${DEFAULT-VALUE}).")
    String heldOut;

    @Option(names = "--per-generator", defaultValue = "300", description = "Training photos per known pipeline (default ${DEFAULT-VALUE}).")
    int perGenerator;

    @Option(names = "--calibration", defaultValue = "100", description = "Photos per known pipeline that set the unknown threshold (default ${DEFAULT-VALUE}).")
    int calibration;

    @Option(names = "--test", defaultValue = "100", description = "Fresh photos per pipeline that are attributed (default ${DEFAULT-VALUE}).")
    int test;

    @Option(names = "--epochs", defaultValue = "12", description = "Most training epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--patience", defaultValue = "3", description = "Stop after N epochs without validation gain (default ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--crop", defaultValue = "64", description = "Crop side in pixels (default ${DEFAULT-VALUE}).")
    int crop;

    @Option(names = "--depth", defaultValue = "18", description = "ResNet depth: 18, 34 or 50.")
    int depth;

    @Option(names = "--network", description = "Where to write the trained network (default: a temporary folder); a network already there for the same known pipelines is reused.")
    Path network;

    @Option(names = "--write", description = "Also write every generated image as PNG under this folder.")
    Path write;

    @Override
    public Integer call() throws IOException {
        UpsamplingPipeline heldOutPipeline;
        try {
            heldOutPipeline = UpsamplingPipeline.parse(heldOut);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        AttributionOptions options = AttributionOptions.defaults().withEpochs(epochs).withPatience(patience)
                .withCropSize(crop).withDepth(depth);
        Path dir = network != null ? network : Files.createTempDirectory("aidetect-eval-attribution");
        HeldOutEvaluation evaluation = new HeldOutEvaluation(spec.commandLine().getOut());
        HeldOutEvaluation.Plan plan = new HeldOutEvaluation.Plan(photos, heldOutPipeline,
                perGenerator, calibration, test, options, dir, write);
        evaluation.report(plan, evaluation.run(plan));
        return 0;
    }
}
