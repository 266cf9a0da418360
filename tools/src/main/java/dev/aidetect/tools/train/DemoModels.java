package dev.aidetect.tools.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.aidetect.common.MoreFiles;
import dev.aidetect.heads.attribution.AttributionMetadata;
import dev.aidetect.heads.attribution.AttributionOptions;
import dev.aidetect.tools.dataset.LabelledImage;
import dev.aidetect.tools.samples.SampleSetWriter;
import dev.aidetect.tools.samples.SyntheticGenerator;
import dev.aidetect.tools.stack.ModelOptions;
import dev.aidetect.tools.stack.StackService;

/**
 * The demo's models, trained on first use from a synthetic training set and kept under {@code <workDir>/models}: the
 * committed tiny CLIP encoder, detection and family heads on its vectors, and a ResNet-18 per family on pixels. A
 * stamp file records what they were trained from; a change retrains them.
 */
public final class DemoModels {
    /** The committed stand-in encoder (real CLIP weights are supplied at deploy time). */
    public static final String ENCODER_MANIFEST = "deploy/models/tiny-clip-vit/manifest.json";
    /** What the demo's models were trained from, in the models directory; other models have none. */
    public static final String STAMP_FILE = "STAMP";
    private static final String STAMP = "demo-models v4 (unknown threshold capped): 160 real + 40 per generator, 224 px, seeds 7/8, resnet-18 on residuals, 10 epochs";
    /** CLIP's input size, so the encoder sees the pixels as they are (no resize blurring the fingerprints). */
    private static final int IMAGE_SIZE = 224;

    private final Path encoderManifest;
    private final Path models;

    private DemoModels(Path encoderManifest, Path models) {
        this.encoderManifest = encoderManifest;
        this.models = models;
    }

    /** Returns the demo models, training them first when missing or stale. */
    public static DemoModels prepare(Path projectRoot, Path workDir, PrintWriter log) throws IOException {
        return prepareFor(projectRoot.resolve(ENCODER_MANIFEST), workDir, log);
    }

    /**
     * The demo's models on another encoder's vectors (the heads are trained on {@code encoder}'s; the pixel networks
     * do not depend on it), training them first when missing or made for another encoder.
     */
    public static DemoModels prepareFor(Path encoder, Path workDir, PrintWriter log) throws IOException {
        if (!Files.exists(encoder)) {
            throw new IllegalStateException("encoder manifest " + encoder + " is missing; run from the project root");
        }
        return prepare(encoder, workDir.resolve("models").toAbsolutePath(), workDir.resolve("train"), log);
    }

    /**
     * Returns the demo models for {@code encoder} in {@code models}, training them first (on a synthetic set written
     * to {@code train}) when missing, stale or trained for another encoder. {@code models} itself is kept and only
     * its contents replaced, so it may be a mount point.
     */
    public static DemoModels prepare(Path encoder, Path models, Path train, PrintWriter log) throws IOException {
        if (!Files.isRegularFile(encoder)) {
            throw new IllegalStateException("encoder manifest " + encoder + " is missing");
        }
        Path stamp = models.resolve(STAMP_FILE);
        String expected = STAMP + ", attribution format " + AttributionMetadata.FORMAT_VERSION + ", encoder "
                + Files.readString(encoder).hashCode();
        if (Files.exists(stamp) && Files.readString(stamp).equals(expected)) {
            log.println("  models: reusing " + models);
            return new DemoModels(encoder, models);
        }
        clear(models);
        MoreFiles.deleteRecursively(train);
        log.println("  models: first run, training them (about a minute)");
        SampleSetWriter.write(train, List.of(SyntheticGenerator.REAL), 160, IMAGE_SIZE, 7, false, n -> {
        });
        List<SyntheticGenerator> fakes = Stream.of(SyntheticGenerator.values())
                .filter(g -> g != SyntheticGenerator.REAL).toList();
        SampleSetWriter.write(train, fakes, 40, IMAGE_SIZE, 8, false, n -> {
        });
        List<LabelledImage> images = LabelledImage.collect(List.of(train));
        ModelTraining training = new ModelTraining(log);
        training.trainHeads(encoder, images, models, n -> {
        });
        training.trainAttribution(images, models, AttributionOptions.defaults().withEpochs(10));
        Files.writeString(stamp, expected);
        return new DemoModels(encoder, models);
    }

    /** Empties {@code dir}, keeping the directory itself (creating it when missing). */
    public static void clear(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> children = Files.list(dir)) {
            children.forEach(MoreFiles::deleteRecursively);
        }
    }

    /** Writes the images the demo submits: a few of every source, plus the broken files. */
    public static Path writeSamples(Path dir, int perSource, PrintWriter log) {
        MoreFiles.deleteRecursively(dir);
        var summary = SampleSetWriter.write(dir, List.of(SyntheticGenerator.values()), perSource, IMAGE_SIZE, 42, true,
                n -> {
                });
        log.printf("  samples: %d images and %d broken files in %s%n", summary.images(), summary.broken(), dir);
        return dir;
    }

    /** Environment of each service: where its models are, and the router's stage timeout. */
    public Map<StackService, Map<String, String>> serviceEnv(Duration stageTimeout) {
        return Map.of(
                StackService.EMBEDDER, Map.of(ModelOptions.ENCODER, encoderManifest.toString()),
                StackService.CLASSIFIER, Map.of(
                        ModelOptions.DETECTION_HEAD, models.resolve(ModelTraining.DETECTION_HEAD).toString(),
                        ModelOptions.FAMILY_HEAD, models.resolve(ModelTraining.FAMILY_HEAD).toString(),
                        ModelOptions.ATTRIBUTION_GAN, models.resolve("attribution-gan").toString(),
                        ModelOptions.ATTRIBUTION_DIFFUSION, models.resolve("attribution-diffusion").toString()),
                StackService.ROUTER, Map.of("AIDETECT_ROUTER_STAGE_TIMEOUT", stageTimeout.toString()));
    }
}
