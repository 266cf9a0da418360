package dev.aidetect.heads.attribution;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.aidetect.heads.HeadDecision;

/**
 * The real/fake call on pixels: a ResNet with the classes {@value #FAKE} and {@value #REAL} (the detection stage as the
 * hierarchy paper and the ProGAN detector make it), trained by {@link AttributionTrainer#trainDetector} into the
 * attribution network format with a serving threshold on P(FAKE) ({@link DetectionThreshold}), or an ensemble of such
 * networks ({@link DetectionEnsemble}: their P(FAKE) averaged over test-time views of each image, {@link TestViews},
 * with a threshold of its own). Consumes an RGB image, produces a {@link HeadDecision}: FAKE when P(FAKE) is at least the
 * threshold. Thread-safe, as {@link AttributionNetwork} is.
 */
public final class DetectionNetwork implements AutoCloseable {
    /** The stage name, the metadata's {@code family} and the start of the model id. */
    public static final String STAGE = "detection";
    public static final String FAKE = "FAKE";
    public static final String REAL = "REAL";

    private final List<AttributionNetwork> members;
    private final int[] fake;
    private final TestViews views;
    private final DetectionThreshold serving;
    private final String id;
    private final String version;

    private DetectionNetwork(List<AttributionNetwork> members, TestViews views, DetectionThreshold serving, String id,
            String version) {
        this.members = List.copyOf(members);
        this.fake = members.stream().mapToInt(member -> member.metadata().classes().indexOf(FAKE)).toArray();
        this.views = views;
        this.serving = serving;
        this.id = id;
        this.version = version;
    }

    /**
     * Loads a network directory written by {@link AttributionTrainer#trainDetector}, or an ensemble directory written
     * by {@link DetectionEnsemble#write} (one with {@value DetectionEnsemble#FILE}).
     *
     * @throws IOException when it is missing or unreadable, or is another kind of network (attribution, family)
     */
    public static DetectionNetwork load(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve(DetectionEnsemble.FILE))) {
            return DetectionEnsemble.load(dir);
        }
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
        check(network, dir);
        return new DetectionNetwork(List.of(network), TestViews.CENTRE, network.metadata().detection(), network.id(),
                network.version());
    }

    /** An ensemble of real/fake networks, each already {@link #check checked}; it owns (closes) them. */
    static DetectionNetwork ensemble(List<AttributionNetwork> members, TestViews views, DetectionThreshold serving,
            String id, String version) {
        return new DetectionNetwork(members, views, serving, id, version);
    }

    /** Refuses a network that is not a real/fake one. */
    static void check(AttributionNetwork network, Path dir) throws IOException {
        AttributionMetadata metadata = network.metadata();
        if (metadata.detection() == null || !Set.copyOf(metadata.classes()).equals(Set.of(FAKE, REAL))
                || metadata.classes().size() != 2) {
            throw new IOException(dir + " holds network " + metadata.id() + " of classes " + metadata.classes()
                    + (metadata.detection() == null ? " without a serving threshold" : "")
                    + ", not a real/fake network; train one with aidetect train detector");
        }
    }

    /** The network's metadata; of an ensemble, its first member's (see {@link #members()} for all). */
    public AttributionMetadata metadata() {
        return members.getFirst().metadata();
    }

    /** The metadata of every network averaged, in order: one for a single network. */
    public List<AttributionMetadata> members() {
        return members.stream().map(AttributionNetwork::metadata).toList();
    }

    /** The views of each image P(FAKE) is averaged over: the centre crop alone for a single network. */
    public TestViews views() {
        return views;
    }

    /** The model id, for {@code StageVerdict.model.id}. */
    public String id() {
        return id;
    }

    /** The content version, for {@code StageVerdict.model.version}. */
    public String version() {
        return version;
    }

    /** The serving threshold on P(FAKE), how it was chosen, and the held-out metrics. */
    public DetectionThreshold serving() {
        return serving;
    }

    /** P(FAKE) of an image: of its centre crop, or the members' mean over its {@link #views()}. */
    public double fakeProbability(BufferedImage rgb) {
        if (views.equals(TestViews.CENTRE) && members.size() == 1) {
            return CropTranslator.softmax(members.getFirst().logits(rgb))[fake[0]];
        }
        double sum = 0;
        for (int i = 0; i < members.size(); i++) {
            for (float[] view : members.get(i).logits(rgb, views)) {
                sum += CropTranslator.softmax(view)[fake[i]];
            }
        }
        return sum / (members.size() * views.count());
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

    /** The classes the decision is between, {@value #FAKE} and {@value #REAL}, in the (first) network's order. */
    public List<String> classes() {
        return metadata().classes();
    }

    /** Whether {@link #close()} has freed the network(s). */
    public boolean isClosed() {
        return members.stream().anyMatch(AttributionNetwork::isClosed);
    }

    @Override
    public void close() {
        members.forEach(AttributionNetwork::close);
    }
}
