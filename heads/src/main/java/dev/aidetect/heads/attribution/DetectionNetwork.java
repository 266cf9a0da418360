package dev.aidetect.heads.attribution;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.aidetect.heads.HeadDecision;

/**
 * The real/fake call on pixels: a ResNet with the classes {@value #FAKE} and {@value #REAL} (the detection stage as the
 * hierarchy paper and the ProGAN detector make it), trained by {@link AttributionTrainer#trainDetector} into the
 * attribution network format with a serving threshold on P(FAKE) ({@link DetectionThreshold}). Consumes an RGB image,
 * produces a {@link HeadDecision}: FAKE when P(FAKE) is at least the threshold. Thread-safe, as
 * {@link AttributionNetwork} is.
 */
public final class DetectionNetwork implements AutoCloseable {
    /** The stage name, the metadata's {@code family} and the start of the model id. */
    public static final String STAGE = "detection";
    public static final String FAKE = "FAKE";
    public static final String REAL = "REAL";

    private final AttributionNetwork network;
    private final DetectionThreshold serving;
    private final int fake;

    private DetectionNetwork(AttributionNetwork network, DetectionThreshold serving) {
        this.network = network;
        this.serving = serving;
        this.fake = network.metadata().classes().indexOf(FAKE);
    }

    /**
     * Loads a network directory written by {@link AttributionTrainer#trainDetector}.
     *
     * @throws IOException when it is missing or unreadable, or is another kind of network (attribution, family)
     */
    public static DetectionNetwork load(Path dir) throws IOException {
        AttributionNetwork network = AttributionNetwork.load(dir, 0);
        try {
            return of(network, dir);
        } catch (IOException | RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /** The real/fake network {@code network} is; closes nothing when it is not one. */
    static DetectionNetwork of(AttributionNetwork network, Path dir) throws IOException {
        AttributionMetadata metadata = network.metadata();
        if (metadata.detection() == null || !Set.copyOf(metadata.classes()).equals(Set.of(FAKE, REAL))
                || metadata.classes().size() != 2) {
            throw new IOException(dir + " holds network " + metadata.id() + " of classes " + metadata.classes()
                    + (metadata.detection() == null ? " without a serving threshold" : "")
                    + ", not a real/fake network; train one with aidetect train detector");
        }
        return new DetectionNetwork(network, metadata.detection());
    }

    public AttributionMetadata metadata() {
        return network.metadata();
    }

    /** The model id, for {@code StageVerdict.model.id}. */
    public String id() {
        return network.id();
    }

    /** The content version, for {@code StageVerdict.model.version}. */
    public String version() {
        return network.version();
    }

    /** The serving threshold on P(FAKE), how it was chosen, and the held-out metrics. */
    public DetectionThreshold serving() {
        return serving;
    }

    /** P(FAKE) of an image, from its centre crop. */
    public double fakeProbability(BufferedImage rgb) {
        return CropTranslator.softmax(network.logits(rgb))[fake];
    }

    /** FAKE when P(FAKE) is at least the serving threshold, else REAL; the score is P(FAKE). */
    public HeadDecision detect(BufferedImage rgb) {
        return decide(fakeProbability(rgb));
    }

    HeadDecision decide(double fakeProbability) {
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put(REAL, 1 - fakeProbability);
        scores.put(FAKE, fakeProbability);
        return new HeadDecision(fakeProbability >= serving.threshold() ? FAKE : REAL, fakeProbability,
                Map.copyOf(scores), serving.threshold());
    }

    /** The classes in the network's output order. */
    public List<String> classes() {
        return network.metadata().classes();
    }

    /** Whether {@link #close()} has freed the network. */
    public boolean isClosed() {
        return network.isClosed();
    }

    @Override
    public void close() {
        network.close();
    }
}
