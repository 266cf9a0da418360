package dev.aidetect.tools.train;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

import dev.aidetect.heads.AttributionNetwork;
import dev.aidetect.heads.AttributionOptions;
import dev.aidetect.heads.AttributionTrainer;
import dev.aidetect.heads.HeadAlgorithm;
import dev.aidetect.heads.HeadComparison;
import dev.aidetect.heads.HeadMetadata;
import dev.aidetect.heads.HeadTrainer;
import dev.aidetect.heads.HeadTrainingOptions;
import dev.aidetect.heads.VectorHead;
import dev.aidetect.imaging.DecodeLimits;
import dev.aidetect.imaging.ImageDecoder;
import dev.aidetect.imaging.ImageEncoder;
import dev.aidetect.imaging.ImageRejectedException;
import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.tools.submit.LabelledImage;

/** Trains the pipeline's models from a labelled image folder: the two vector heads and one ResNet per family. */
public final class ModelTraining {
    public static final String DETECTION_HEAD = "detection.head";
    public static final String FAMILY_HEAD = "family.head";

    private final PrintStream log;

    public ModelTraining(PrintStream log) {
        this.log = log;
    }

    /** The heads written: detection always, family when the fakes name at least two families. */
    public record Heads(Path detection, Path family) {
    }

    /** Embeds the images and trains the default heads (logistic regression), as the demo does. */
    public Heads trainHeads(Path encoderManifest, List<LabelledImage> images, Path outDir,
            IntConsumer embedProgress) {
        return trainHeads(encoderManifest, images, outDir, HeadPlan.defaults(), embedProgress, line -> {
        });
    }

    /**
     * Embeds the images and trains the detection head (REAL/FAKE) and the family head (on fakes only), or with
     * {@link HeadPlan#compare()} cross-validates every algorithm for detection, prints the table and keeps the best.
     */
    public Heads trainHeads(Path encoderManifest, List<LabelledImage> images, Path outDir, HeadPlan plan,
            IntConsumer embedProgress, Consumer<String> compareProgress) {
        try (ImageEncoder encoder = ImageEncoder.load(encoderManifest)) {
            LabelledEmbeddings data = LabelledEmbeddings.embed(encoder, images, embedProgress);
            data.skipped().forEach(s -> log.println("  skipped " + s));
            Files.createDirectories(outDir);
            HeadTrainer trainer = new HeadTrainer();
            List<String> authenticity = data.labels().stream().map(l -> l.getAuthenticity().name()).toList();
            Path detection = outDir.resolve(DETECTION_HEAD);
            HeadTrainingOptions options = plan.apply(HeadTrainingOptions.detection(encoder.id()));
            HeadAlgorithm algorithm = plan.algorithm();
            if (plan.compare()) {
                HeadComparison.Result result = new HeadComparison().compare(data.vectors(), authenticity, options,
                        List.of(HeadAlgorithm.values()), plan.folds(), outDir.resolve("candidates"),
                        compareProgress);
                ComparisonReport.print(result, options.classes(), plan.folds(), log);
                algorithm = result.best().algorithm();
                Files.copy(result.best().artifact(), detection, StandardCopyOption.REPLACE_EXISTING);
                report(VectorHead.load(detection), detection);
            } else {
                report(trainer.train(data.vectors(), authenticity, options.withAlgorithm(algorithm), detection),
                        detection);
            }

            List<float[]> fakeVectors = new ArrayList<>();
            List<String> families = new ArrayList<>();
            for (int i = 0; i < data.labels().size(); i++) {
                ImageLabel label = data.labels().get(i);
                if (label.getAuthenticity() == Authenticity.FAKE && label.getFamily() != null) {
                    fakeVectors.add(data.vectors().get(i));
                    families.add(label.getFamily());
                }
            }
            Path family = null;
            if (families.stream().distinct().count() >= 2) {
                family = outDir.resolve(FAMILY_HEAD);
                HeadTrainingOptions familyOptions = plan.apply(HeadTrainingOptions.family(encoder.id()))
                        .withAlgorithm(algorithm);
                report(trainer.train(fakeVectors, families, familyOptions, family), family);
            } else {
                log.println("  no family head: the fakes name fewer than two families");
            }
            return new Heads(detection, family);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot train heads into " + outDir + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot train heads: " + e.getMessage(), e);
        }
    }

    private void report(VectorHead head, Path file) {
        HeadMetadata m = head.metadata();
        log.printf("  %-16s %s, threshold %.4f (%s), calibration %s -> %s%n", m.id(), m.validation(), m.threshold(),
                m.thresholdMethod(), m.calibration(), file);
    }

    /** Trains one attribution network per family found under fake/; returns family -> network directory. */
    public Map<String, Path> trainAttribution(List<LabelledImage> images, Path outDir, AttributionOptions options) {
        Map<String, Map<String, List<BufferedImage>>> byFamily = new TreeMap<>();
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.defaults());
        for (LabelledImage image : images) {
            ImageLabel label = image.label();
            if (label == null || label.getAuthenticity() != Authenticity.FAKE || label.getGenerator() == null) {
                continue;
            }
            try {
                BufferedImage rgb = decoder.decode(Files.readAllBytes(image.file())).rgb();
                byFamily.computeIfAbsent(label.getFamily(), f -> new TreeMap<>())
                        .computeIfAbsent(label.getGenerator(), g -> new ArrayList<>()).add(rgb);
            } catch (ImageRejectedException e) {
                log.println("  skipped " + image.file() + ": " + e.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + image.file() + ": " + e.getMessage(), e);
            }
        }
        Map<String, Path> networks = new TreeMap<>();
        for (var family : byFamily.entrySet()) {
            Path dir = outDir.resolve("attribution-" + family.getKey());
            log.printf("  training %s attribution (ResNet-%d) on %s%n", family.getKey(), options.depth(),
                    family.getValue().keySet());
            AttributionTrainer trainer = new AttributionTrainer(epoch -> log.println("    " + epoch));
            try (AttributionNetwork network = trainer.train(family.getKey(), family.getValue(), options, dir)) {
                log.printf("  %-16s -> %s%n", network.id(), dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot train attribution for " + family.getKey() + ": "
                        + e.getMessage(), e);
            }
            networks.put(family.getKey(), dir);
        }
        return networks;
    }
}
