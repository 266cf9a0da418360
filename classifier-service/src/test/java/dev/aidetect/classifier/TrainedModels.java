package dev.aidetect.classifier;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.aidetect.heads.HeadReduction;
import dev.aidetect.heads.HeadTrainer;
import dev.aidetect.heads.HeadTrainingOptions;
import dev.aidetect.heads.ThresholdRule;
import dev.aidetect.heads.VectorHead;
import dev.aidetect.heads.attribution.AttributionNetwork;
import dev.aidetect.heads.attribution.AttributionOptions;
import dev.aidetect.heads.attribution.AttributionTrainer;
import dev.aidetect.heads.attribution.Checkpoints;
import dev.aidetect.heads.attribution.DetectionNetwork;
import dev.aidetect.heads.fixtures.GaussianClouds;
import dev.aidetect.heads.fixtures.SyntheticGenerators;

/**
 * Small real models for the service tests, trained on seeded synthetic data into {@code target/test-models} when
 * they are not there yet (mvn clean retrains them): detection and family heads on Gaussian clouds of {@value #SIZE}-dimensional
 * "{@value #ENCODER}" vectors (and a detection head behind an autoencoder), gan and diffusion networks that tell nearest-neighbour from bilinear upsampling, a
 * family network that calls the first gan and the second diffusion, and a detection network that calls the first FAKE
 * and the second REAL.
 */
public final class TrainedModels {
    public static final String ENCODER = "tiny-clip";
    public static final int SIZE = 16;
    public static final double SEPARATION = 6;
    /** A detection head that reduces the vectors with an autoencoder first (not in {@link #config()}). */
    public static final String AUTOENCODER_DETECTION_HEAD = "detection-autoencoder.head";
    public static final Path DIR = Path.of("target", "test-models").toAbsolutePath();
    private static Map<String, String> config;

    private TrainedModels() {
    }

    /** The classifier configuration that points at the trained models. */
    public static synchronized Map<String, String> config() {
        if (config == null) {
            try {
                config = train();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot train the test models in " + DIR, e);
            }
        }
        return config;
    }

    /** Fresh vectors from the distribution the heads were trained on. */
    public static GaussianClouds vectors(List<String> classes, long seed) {
        return GaussianClouds.of(classes, 5, SIZE, SEPARATION, seed);
    }

    public static VectorHead detectionHead() throws IOException {
        return VectorHead.load(DIR.resolve("detection.head"));
    }

    /** Trains another detection head on {@code size}-dimensional vectors drawn with {@code seed} into {@code out}. */
    public static VectorHead trainDetectionHead(Path out, int size, long seed) throws IOException {
        GaussianClouds clouds = GaussianClouds.of(List.of("REAL", "FAKE"), 100, size, SEPARATION, seed);
        return new HeadTrainer().train(clouds.vectors(), clouds.labels(), HeadTrainingOptions.detection(ENCODER), out);
    }

    /** The detection head behind an autoencoder to 4 dimensions, trained on the detection head's vectors. */
    public static VectorHead autoencoderDetectionHead() throws IOException {
        config();
        return VectorHead.load(DIR.resolve(AUTOENCODER_DETECTION_HEAD));
    }

    public static VectorHead familyHead() throws IOException {
        return VectorHead.load(DIR.resolve("family.head"));
    }

    /** The real/fake network on pixels (not in {@link #config()}: detection decides on vectors by default). */
    public static Path detectionNetworkDir() {
        config();
        return DIR.resolve("detection-network");
    }

    public static AttributionNetwork ganNetwork() throws IOException {
        return AttributionNetwork.load(DIR.resolve("attribution-gan"));
    }

    /** The gan network's directory. */
    public static Path ganNetworkDir() {
        config();
        return DIR.resolve("attribution-gan");
    }

    /** The version of the network in {@code dir}. */
    public static String networkVersion(Path dir) throws IOException {
        try (AttributionNetwork network = AttributionNetwork.load(dir)) {
            return network.version();
        }
    }

    /**
     * A gan network retrained on other images and another seed (so another version, same generators), for swap tests;
     * trained on first use.
     */
    public static synchronized Path retrainedGanNetworkDir() throws IOException {
        config();
        Path dir = DIR.resolve("attribution-gan-retrained");
        try (AttributionNetwork cached = AttributionNetwork.load(dir)) {
            return dir;
        } catch (IOException | RuntimeException e) {
            // not trained yet, or by an older format
        }
        new AttributionTrainer().train("gan", SyntheticGenerators.images(30, 96, 31),
                AttributionOptions.defaults().withEpochs(4).withBatchSize(8).withSeed(31), dir).close();
        return dir;
    }

    private static Map<String, String> train() throws IOException {
        if (!cachedModelsLoad()) {
            trainAll();
        }
        return Map.of(
                "aidetect.classifier.detection-head", DIR.resolve("detection.head").toString(),
                "aidetect.classifier.family-head", DIR.resolve("family.head").toString(),
                "aidetect.classifier.attribution.gan", DIR.resolve("attribution-gan").toString(),
                "aidetect.classifier.attribution.diffusion", DIR.resolve("attribution-diffusion").toString());
    }

    /** Models cached by an earlier run are reused only if this code still loads them (formats change). */
    private static boolean cachedModelsLoad() {
        try (AttributionNetwork gan = ganNetwork();
                AttributionNetwork diffusion = AttributionNetwork.load(DIR.resolve("attribution-diffusion"));
                AttributionNetwork family = AttributionNetwork.load(DIR.resolve("family-network"));
                DetectionNetwork detection = DetectionNetwork.load(DIR.resolve("detection-network"))) {
            detectionHead();
            familyHead();
            VectorHead.load(DIR.resolve(AUTOENCODER_DETECTION_HEAD));
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void trainAll() throws IOException {
        HeadTrainer heads = new HeadTrainer();
        GaussianClouds detection = GaussianClouds.of(List.of("REAL", "FAKE"), 100, SIZE, SEPARATION, 1);
        heads.train(detection.vectors(), detection.labels(), HeadTrainingOptions.detection(ENCODER),
                DIR.resolve("detection.head"));
        heads.train(detection.vectors(), detection.labels(), HeadTrainingOptions.detection(ENCODER)
                .withReduction(HeadReduction.autoencoder(4).withEpochs(10))
                .withId("detection-logistic-regression-autoencoder-4"), DIR.resolve(AUTOENCODER_DETECTION_HEAD));
        GaussianClouds family = GaussianClouds.of(List.of("gan", "diffusion"), 100, SIZE, SEPARATION, 2);
        heads.train(family.vectors(), family.labels(), HeadTrainingOptions.family(ENCODER),
                DIR.resolve("family.head"));
        Map<String, List<BufferedImage>> images = SyntheticGenerators.images(30, 96, 3);
        AttributionOptions options = AttributionOptions.defaults().withEpochs(4).withBatchSize(8);
        AttributionTrainer attribution = new AttributionTrainer();
        for (String generators : List.of("gan", "diffusion")) {
            attribution.train(generators, images, options, DIR.resolve("attribution-" + generators)).close();
        }
        Map<String, List<BufferedImage>> families = Map.of("gan", images.get(SyntheticGenerators.BLOCKY),
                "diffusion", images.get(SyntheticGenerators.SMOOTH));
        attribution.train("family", families, options, DIR.resolve("family-network")).close();
        Map<String, List<BufferedImage>> realFake = Map.of(DetectionNetwork.FAKE,
                images.get(SyntheticGenerators.BLOCKY), DetectionNetwork.REAL, images.get(SyntheticGenerators.SMOOTH));
        attribution.trainDetector(realFake, options, ThresholdRule.FIXED_HALF, DIR.resolve("detection-network"),
                Checkpoints.none()).close();
    }
}
