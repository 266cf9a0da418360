package dev.aidetect.tools.eval;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.imageio.ImageIO;

import dev.aidetect.heads.attribution.AttributionMetadata;
import dev.aidetect.heads.attribution.AttributionNetwork;
import dev.aidetect.heads.attribution.AttributionOptions;
import dev.aidetect.heads.attribution.AttributionTrainer;
import dev.aidetect.tools.samples.UpsamplingPipeline;

/**
 * The held-out-generator experiment on real pixels: real photos pass through every {@link UpsamplingPipeline}; a
 * ResNet learns all but one pipeline from one set of photos; a second set of photos (known pipelines only) sets the
 * unknown threshold; a third set, through every pipeline including the held-out one, is attributed and reported
 * ({@link OpenSetReport}). The three photo sets are disjoint, and every pipeline sees the same photos within a set, so
 * content cannot give a generator away.
 */
public final class HeldOutEvaluation {
    static final String FAMILY = "upsampler";

    /**
     * @param photos folder of real photographs (JPEG or PNG)
     * @param heldOut the pipeline kept out of training
     * @param perGenerator training photos (a share of them validates each epoch)
     * @param calibration photos that set the unknown threshold
     * @param test fresh photos that are attributed and reported
     * @param network where the trained network is written; a network already there that knows exactly the known
     *        pipelines is reused instead of trained again
     * @param write when not null, every generated image is also written there as PNG, in the labelled layout
     *        {@code <split>/fake/upsampler/<generator>/}
     */
    public record Plan(Path photos, UpsamplingPipeline heldOut, int perGenerator, int calibration, int test,
            AttributionOptions options, Path network, Path write) {
    }

    /** The known classes and the scored calibration and test images, per crop view. */
    public record Result(List<String> classes, Map<CropView, List<Scored>> calibration,
            Map<CropView, List<Scored>> test) {
    }

    private final PrintWriter log;

    public HeldOutEvaluation(PrintWriter log) {
        this.log = log;
    }

    public Result run(Plan plan) throws IOException {
        List<Path> photos = photos(plan);
        int trainEnd = plan.perGenerator();
        int calibrationEnd = trainEnd + plan.calibration();
        List<UpsamplingPipeline> known = new ArrayList<>(List.of(UpsamplingPipeline.values()));
        known.remove(plan.heldOut());
        log.printf("held out: %s; known: %s; photos: %d train, %d calibration, %d test from %s%n",
                plan.heldOut().generatorName(), known.stream().map(UpsamplingPipeline::generatorName).toList(),
                plan.perGenerator(), plan.calibration(), plan.test(), plan.photos());
        Map<String, List<BufferedImage>> training = new LinkedHashMap<>();
        for (UpsamplingPipeline pipeline : known) {
            training.put(pipeline.generatorName(), generate(pipeline, photos.subList(0, trainEnd), "train", plan));
        }
        try (AttributionNetwork network = network(plan, training)) {
            List<String> classes = network.metadata().classes();
            log.printf("%s: validation accuracy %.3f; fitting feature scores on the training photos%n",
                    network.id(), network.metadata().validationAccuracy());
            ReadoutScoring scoring = ReadoutScoring.fit(network, training);
            Map<CropView, List<Scored>> calibration = new EnumMap<>(CropView.class);
            Map<CropView, List<Scored>> test = new EnumMap<>(CropView.class);
            for (UpsamplingPipeline pipeline : UpsamplingPipeline.values()) {
                int truth = pipeline == plan.heldOut() ? Scored.HELD_OUT : classes.indexOf(pipeline.generatorName());
                if (truth != Scored.HELD_OUT) {
                    scoring.score(truth, generate(pipeline, photos.subList(trainEnd, calibrationEnd), "calibration",
                            plan), calibration);
                }
                scoring.score(truth, generate(pipeline, photos.subList(calibrationEnd, photos.size()), "test", plan),
                        test);
            }
            return new Result(classes, calibration, test);
        }
    }

    /** Prints the result's tables. */
    public void report(Plan plan, Result result) {
        for (CropView view : CropView.values()) {
            log.printf("%n=== Scored by %s%n", view.label());
            OpenSetReport.print(result.classes(), plan.heldOut().generatorName(), result.calibration().get(view),
                    result.test().get(view), log);
        }
    }

    private AttributionNetwork network(Plan plan, Map<String, List<BufferedImage>> training) throws IOException {
        if (Files.isRegularFile(plan.network().resolve(AttributionMetadata.FILE))) {
            AttributionNetwork existing = AttributionNetwork.load(plan.network());
            if (existing.metadata().classes().equals(training.keySet().stream().sorted().toList())) {
                log.printf("reusing the network in %s (delete it to train again)%n", plan.network());
                return existing;
            }
            existing.close();
        }
        return new AttributionTrainer(epoch -> log.println("  " + epoch)).train(FAMILY, training, plan.options(),
                plan.network());
    }

    private static List<Path> photos(Plan plan) throws IOException {
        if (!Files.isDirectory(plan.photos())) {
            throw new IOException("no photo folder at " + plan.photos()
                    + "; point --photos at real photographs, e.g. ../shared/data/cifake-dev/real");
        }
        List<Path> all;
        try (var files = Files.list(plan.photos())) {
            all = new ArrayList<>(files.filter(p -> p.toString().matches("(?i).*\\.(jpe?g|png)$")).sorted().toList());
        }
        int needed = plan.perGenerator() + plan.calibration() + plan.test();
        if (all.size() < needed) {
            throw new IOException(plan.photos() + " holds " + all.size() + " photos but the plan needs " + needed
                    + "; lower --per-generator, --calibration or --test");
        }
        Collections.shuffle(all, new Random(plan.options().seed()));
        return all.subList(0, needed);
    }

    private static List<BufferedImage> generate(UpsamplingPipeline pipeline, List<Path> photos, String split,
            Plan plan) {
        List<BufferedImage> images = new ArrayList<>();
        for (Path photo : photos) {
            try {
                BufferedImage source = ImageIO.read(photo.toFile());
                if (source == null) {
                    throw new IOException("not a readable image");
                }
                BufferedImage image = pipeline.upsample(source);
                images.add(image);
                if (plan.write() != null) {
                    Path dir = plan.write().resolve(split).resolve("fake").resolve(FAMILY)
                            .resolve(pipeline.generatorName());
                    Files.createDirectories(dir);
                    String name = photo.getFileName().toString().replaceFirst("\\.[^.]+$", ".png");
                    ImageIO.write(image, "png", dir.resolve(name).toFile());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make the " + pipeline.generatorName() + " image of " + photo
                        + ": " + e.getMessage(), e);
            }
        }
        return images;
    }
}
