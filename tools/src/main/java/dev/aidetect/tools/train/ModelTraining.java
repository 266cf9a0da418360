package dev.aidetect.tools.train;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

import dev.aidetect.heads.ThresholdRule;
import dev.aidetect.heads.attribution.AttributionImport;
import dev.aidetect.heads.attribution.AttributionMetadata;
import dev.aidetect.heads.attribution.AttributionNetwork;
import dev.aidetect.heads.attribution.AttributionOptions;
import dev.aidetect.heads.attribution.AttributionTrainer;
import dev.aidetect.heads.attribution.BatchProgress;
import dev.aidetect.heads.attribution.Checkpoints;
import dev.aidetect.heads.attribution.DetectionEnsemble;
import dev.aidetect.heads.attribution.DetectionNetwork;
import dev.aidetect.heads.attribution.DetectionThreshold;
import dev.aidetect.heads.attribution.TestViews;
import dev.aidetect.imaging.decode.DecodeLimits;
import dev.aidetect.imaging.decode.ImageDecoder;
import dev.aidetect.imaging.decode.ImageRejectedException;
import dev.aidetect.imaging.encoder.ImageEncoder;
import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.tools.dataset.LabelledImage;

/** Trains the pipeline's models from a labelled image folder: the two vector heads and one ResNet per family. */
public final class ModelTraining {
    public static final String DETECTION_HEAD = "detection.head";
    public static final String FAMILY_HEAD = "family.head";
    /** Directory of the family stage trained as a ResNet on pixels (classes: the families). */
    public static final String FAMILY_NETWORK = "family-network";
    /** Directory of the detection stage trained as a ResNet on pixels (classes: FAKE, REAL). */
    public static final String DETECTION_NETWORK = "detection-network";
    private static final String FAMILY_NETWORK_STAGE = "family";

    private final PrintWriter log;

    /** The directory name under the output folder of a family's attribution network. */
    public static String attributionDir(String family) {
        return "attribution-" + family;
    }

    public ModelTraining(PrintWriter log) {
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

    /** Embeds the images with the encoder, then trains the heads as {@link HeadTraining} does. */
    public Heads trainHeads(Path encoderManifest, List<LabelledImage> images, Path outDir, HeadPlan plan,
            IntConsumer embedProgress, Consumer<String> compareProgress) {
        return trainHeads(encoderManifest, images, outDir, plan, HeadAugmentation.Plan.none(), embedProgress,
                compareProgress);
    }

    /**
     * As {@link #trainHeads(Path, List, Path, HeadPlan, IntConsumer, Consumer)}, also embedding augmented copies of
     * every image; a copy trains only when its original falls in a training split.
     */
    public Heads trainHeads(Path encoderManifest, List<LabelledImage> images, Path outDir, HeadPlan plan,
            HeadAugmentation.Plan augment, IntConsumer embedProgress, Consumer<String> progress) {
        try (ImageEncoder encoder = ImageEncoder.load(encoderManifest)) {
            LabelledEmbeddings.WithCopies embedded = LabelledEmbeddings.embed(encoder, images, augment.copier(),
                    embedProgress);
            if (augment.any()) {
                log.printf("  embedded %d images and %d augmented copies (%d per image: %s); copies of held-out "
                        + "images are left out of training%n", embedded.data().vectors().size(),
                        embedded.copyCount(), augment.perImage(), augment.label());
            }
            return new HeadTraining(log).train(embedded.data(), augment.any() ? embedded.copies() : List.of(), outDir,
                    plan, progress);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot train heads into " + outDir + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot train heads: " + e.getMessage(), e);
        }
    }

    /** Trains one attribution network per family found under fake/; returns family -> network directory. */
    public Map<String, Path> trainAttribution(List<LabelledImage> images, Path outDir, AttributionOptions options) {
        return trainAttribution(images, outDir, options, null, false);
    }

    /**
     * As {@link #trainAttribution(List, Path, AttributionOptions)}, saving every epoch under
     * {@code checkpoints/<family>} (when not null) and resuming from there when {@code resume} is set.
     */
    public Map<String, Path> trainAttribution(List<LabelledImage> images, Path outDir, AttributionOptions options,
            Path checkpoints, boolean resume) {
        Map<String, Path> networks = new TreeMap<>();
        fakesByFamily(images).forEach((family, generators) -> networks.put(family,
                trainNetwork(family, generators, outDir.resolve(attributionDir(family)), options, checkpoints,
                        resume)));
        return networks;
    }

    /**
     * Trains the family stage the paper's way, as a ResNet on pixels: the attribution trainer with one class per
     * family (all of fake/{@code <family>}/*), written to {@code family-network} in {@code outDir}.
     */
    public Path trainFamilyNetwork(List<LabelledImage> images, Path outDir, AttributionOptions options,
            Path checkpoints, boolean resume) {
        Map<String, List<BufferedImage>> byFamily = new TreeMap<>();
        fakesByFamily(images).forEach((family, generators) -> generators.values()
                .forEach(list -> byFamily.computeIfAbsent(family, f -> new ArrayList<>()).addAll(list)));
        return trainNetwork(FAMILY_NETWORK_STAGE, byFamily, outDir.resolve(FAMILY_NETWORK), options, checkpoints,
                resume);
    }

    private Path trainNetwork(String name, Map<String, List<BufferedImage>> classes, Path dir,
            AttributionOptions options, Path checkpoints, boolean resume) {
        log.printf("  training %s network (ResNet-%d) on %s%n", name, options.depth(), classes.keySet());
        AttributionTrainer trainer = new AttributionTrainer(epoch -> log.println("    " + epoch));
        Checkpoints saved = checkpoints == null
                ? Checkpoints.none()
                : new Checkpoints(checkpoints.resolve(name), resume);
        try (AttributionNetwork network = trainer.train(name, classes, options, dir, saved)) {
            log.printf("  %-16s validation accuracy %.3f, unknown below %.4f -> %s%n", network.id(),
                    network.metadata().validationAccuracy(), network.metadata().unknownThreshold(), dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot train the " + name + " network: " + e.getMessage(), e);
        }
    }

    /**
     * Trains the detection stage on pixels, the real/fake ResNet, written to {@code detection-network} in
     * {@code outDir}, from every real image and every fake (of any family) given ({@link #sample} draws fewer).
     *
     * @param steps progress within each epoch
     * @param decodeProgress the number of images decoded so far
     */
    public Path trainDetectionNetwork(List<LabelledImage> images, Path outDir, AttributionOptions options,
            ThresholdRule rule, Path checkpoints, boolean resume, Consumer<BatchProgress> steps,
            IntConsumer decodeProgress) {
        Map<String, List<BufferedImage>> byClass = byAuthenticity(images, decodeProgress);
        Path dir = outDir.resolve(DETECTION_NETWORK);
        log.printf("  training the real/fake network (ResNet-%d on %dx%d %s crops) on %d real and %d fake images%n",
                options.depth(), options.cropSize(), options.cropSize(), options.input().label(),
                byClass.getOrDefault(DetectionNetwork.REAL, List.of()).size(),
                byClass.getOrDefault(DetectionNetwork.FAKE, List.of()).size());
        log.flush();
        AttributionTrainer trainer = new AttributionTrainer(epoch -> {
            log.println("    " + epoch);
            log.flush();
        }, steps);
        Checkpoints saved = checkpoints == null ? Checkpoints.none() : new Checkpoints(checkpoints, resume);
        try (DetectionNetwork network = trainer.trainDetector(byClass, options, rule, dir, saved)) {
            DetectionThreshold serving = network.serving();
            log.printf(Locale.ROOT, "  %s version %s: validation accuracy %.4f at threshold %.4f (%s), AP %.4f, "
                    + "AUC %.4f on %d held-out images -> %s%n", network.id(), network.version(),
                    serving.validationAccuracy(), serving.threshold(), serving.method(), serving.validationAp(),
                    serving.validationAuc(), network.metadata().validationCount(), dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot train the real/fake network: " + e.getMessage(), e);
        }
    }

    /**
     * Writes an ensemble of trained real/fake networks to {@code detection-network} in {@code outDir}, its threshold
     * chosen on the images the members held out of {@code images} (the folder and sample they were trained on, split
     * with their seed and {@code validationFraction}).
     *
     * @param scoring given the number of held-out images, the progress of scoring them
     */
    public Path writeDetectionEnsemble(List<LabelledImage> images, List<Path> members, TestViews views, String id,
            double validationFraction, long seed, ThresholdRule rule, Path outDir, IntConsumer decodeProgress,
            IntFunction<IntConsumer> scoring) {
        Map<String, List<BufferedImage>> byClass = byAuthenticity(images, decodeProgress);
        AttributionTrainer.HeldOut heldOut;
        try {
            heldOut = AttributionTrainer.heldOut(byClass, validationFraction, seed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot hold out the members' validation images: " + e.getMessage(), e);
        }
        return writeDetectionEnsemble(heldOut, members, views, id, rule, outDir, scoring);
    }

    /** As above, on held-out images given ({@link #listedHeldOut}: members trained elsewhere on one split). */
    public Path writeDetectionEnsemble(AttributionTrainer.HeldOut heldOut, List<Path> members, TestViews views,
            String id, ThresholdRule rule, Path outDir, IntFunction<IntConsumer> scoring) {
        Path dir = outDir.resolve(DETECTION_NETWORK);
        log.printf("  scoring %d held-out images with %d network%s, %s each%n", heldOut.images().size(),
                members.size(), members.size() == 1 ? "" : "s", views);
        log.flush();
        try (DetectionNetwork ensemble = DetectionEnsemble.write(members, views, id, heldOut, rule, dir,
                scoring.apply(heldOut.images().size()))) {
            for (AttributionMetadata member : ensemble.members()) {
                DetectionThreshold own = member.detection();
                log.printf(Locale.ROOT, "  member %s version %s: validation accuracy %.4f at its threshold %.4f, "
                        + "AP %.4f, AUC %.4f%n", member.id(), member.version(), own.validationAccuracy(),
                        own.threshold(), own.validationAp(), own.validationAuc());
            }
            logServing(ensemble, heldOut.images().size(), dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the detection ensemble: " + e.getMessage(), e);
        }
    }

    /**
     * The images a network trained elsewhere held out, named in {@code list} (one path a line, relative to
     * {@code images}; blank lines and lines starting with # skipped; {@code deploy/models/train_detector.py} writes
     * {@code heldout.txt}), decoded, with every class's count among the labelled images under {@code images}.
     *
     * @param decoding progress of decoding, given how many images are named
     * @throws IllegalArgumentException when a named image is not among them, or none is named
     */
    public AttributionTrainer.HeldOut listedHeldOut(Path images, Path list, IntFunction<IntConsumer> decoding) {
        List<Path> named = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(list)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    named.add(images.resolve(line.strip()).normalize());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the held-out list " + list + ": " + e.getMessage(), e);
        }
        if (named.isEmpty()) {
            throw new IllegalArgumentException(list + " names no held-out images; give the heldout.txt the network's "
                    + "training wrote");
        }
        Map<Path, LabelledImage> byFile = new HashMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (LabelledImage image : LabelledImage.collect(List.of(images))) {
            if (image.label() != null && (image.label().getAuthenticity() == Authenticity.FAKE
                    || image.label().getAuthenticity() == Authenticity.REAL)) {
                byFile.put(image.file().normalize(), image);
                counts.merge(image.label().getAuthenticity().name(), 1, Integer::sum);
            }
        }
        List<Path> missing = named.stream().filter(file -> !byFile.containsKey(file)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(missing.size() + " of the " + named.size() + " held-out images named "
                    + "in " + list + " are not labelled images under " + images + " (first: " + missing.getFirst()
                    + "); give the folder the network was trained on");
        }
        List<LabelledImage> held = named.stream().map(byFile::get).toList();
        return AttributionTrainer.heldOut(byAuthenticity(held, decoding.apply(held.size())), counts);
    }

    /**
     * Imports a TorchScript real/fake network trained elsewhere as {@code <outDir>/detection-network}, its threshold
     * chosen on the images it held out.
     */
    public Path importDetector(Path module, String id, int cropSize, int epochs, long seed,
            AttributionTrainer.HeldOut heldOut, ThresholdRule rule, Path outDir) {
        Path dir = outDir.resolve(DETECTION_NETWORK);
        log.printf("  scoring %d held-out images with %s%n", heldOut.images().size(), module);
        log.flush();
        try (DetectionNetwork network = AttributionImport.importDetection(module, id, cropSize, epochs, seed, heldOut,
                rule, dir)) {
            logServing(network, heldOut.images().size(), dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot import " + module + ": " + e.getMessage(), e);
        }
    }

    /** The written detection model's serving threshold and what it scored at it on the held-out images. */
    private void logServing(DetectionNetwork network, int heldOut, Path dir) {
        DetectionThreshold serving = network.serving();
        log.printf(Locale.ROOT, "  %s version %s: validation accuracy %.4f at threshold %.4f (%s), AP %.4f, AUC %.4f "
                + "on %d held-out images -> %s%n", network.id(), network.version(), serving.validationAccuracy(),
                serving.threshold(), serving.method(), serving.validationAp(), serving.validationAuc(), heldOut, dir);
    }

    /** Up to {@code perClass} real and as many fake images, a seeded sample; all of them when 0. */
    public static List<LabelledImage> sample(List<LabelledImage> images, int perClass, long seed) {
        if (perClass <= 0) {
            return images;
        }
        List<LabelledImage> shuffled = new ArrayList<>(images);
        Collections.shuffle(shuffled, new Random(seed));
        Map<Authenticity, Integer> taken = new EnumMap<>(Authenticity.class);
        List<LabelledImage> sample = new ArrayList<>();
        for (LabelledImage image : shuffled) {
            if (image.label() != null && taken.merge(image.label().getAuthenticity(), 1, Integer::sum) <= perClass) {
                sample.add(image);
            }
        }
        return sample;
    }

    /** Decoded images by authenticity (FAKE, REAL); unlabelled and undecodable images are left out. */
    private Map<String, List<BufferedImage>> byAuthenticity(List<LabelledImage> images, IntConsumer progress) {
        Map<String, List<BufferedImage>> byClass = new TreeMap<>();
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.defaults());
        int done = 0;
        for (LabelledImage image : images) {
            progress.accept(++done);
            if (image.label() == null || image.label().getAuthenticity() != Authenticity.REAL
                    && image.label().getAuthenticity() != Authenticity.FAKE) {
                continue;
            }
            try {
                BufferedImage rgb = decoder.decode(Files.readAllBytes(image.file())).rgb();
                byClass.computeIfAbsent(image.label().getAuthenticity().name(), c -> new ArrayList<>()).add(rgb);
            } catch (ImageRejectedException e) {
                log.println("  skipped " + image.file() + ": " + e.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + image.file() + ": " + e.getMessage(), e);
            }
        }
        return byClass;
    }

    /**
     * Imports a TorchScript attribution module as {@code attribution-<family>} in {@code outDir}, its unknown
     * threshold calibrated on the labelled images of its classes under fake/{@code family}/ when any are given.
     */
    public Path importAttribution(Path module, List<String> classes, String family, int cropSize,
            List<LabelledImage> calibration, Path outDir) {
        Map<String, List<BufferedImage>> labelled = new TreeMap<>(
                fakesByFamily(calibration).getOrDefault(family, Map.of()));
        labelled.keySet().retainAll(classes);
        Path dir = outDir.resolve(attributionDir(family));
        try (AttributionNetwork network = AttributionImport.importTorchScript(module, classes, family, cropSize,
                labelled, dir)) {
            AttributionMetadata m = network.metadata();
            log.printf("  %-16s %s, unknown below %.4f (%s) -> %s%n", m.id(), m.classes(), m.unknownThreshold(),
                    m.thresholdMethod(), dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot import " + module + ": " + e.getMessage(), e);
        }
    }

    /** Decoded fake images by family and generator; unlabelled, real and undecodable images are left out. */
    public Map<String, Map<String, List<BufferedImage>>> fakesByFamily(List<LabelledImage> images) {
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
        return byFamily;
    }
}
