package dev.aidetect.classifier.inference;

import java.awt.image.BufferedImage;
import java.util.HashSet;
import java.util.Random;

import dev.aidetect.classifier.domain.ModelSlot;
import dev.aidetect.classifier.domain.ServedModel;
import dev.aidetect.heads.HeadDecision;
import dev.aidetect.heads.HeadMetadata;
import dev.aidetect.heads.VectorHead;
import dev.aidetect.heads.attribution.AttributionDecision;
import dev.aidetect.heads.attribution.AttributionMetadata;
import dev.aidetect.heads.attribution.AttributionNetwork;
import dev.aidetect.heads.attribution.DetectionNetwork;

/**
 * What a replacement model must pass before {@link ModelReloader} lets it serve a slot: a head must have the slot's
 * stage, the serving head's classes, encoder and embedding size; a network must be of the slot's kind (an attribution
 * network of the slot's family, a family network of the families, a real/fake network with a serving threshold) and
 * answer one score per class. Every model then makes a smoke prediction on a fixed input (a seeded random vector, or a
 * seeded noise image larger than any crop), which must give finite probabilities.
 */
final class ReplacementChecks {
    private static final long SMOKE_SEED = 7;
    /** Side of the smoke image: larger than any crop a network here takes, so every network sees a full crop. */
    private static final int SMOKE_SIDE = 256;

    private ReplacementChecks() {
    }

    /** Why {@code candidate} cannot replace {@code serving} in {@code slot}, or {@code null} when it can. */
    static String incompatibility(ModelSlot slot, ServedModel serving, ServedModel candidate) {
        return switch (candidate) {
            case ServedModel.Head(VectorHead head) -> serving instanceof ServedModel.Head(VectorHead current)
                    ? incompatibility(slot, current, head)
                    : "it is a vector head, but the " + slot.description() + " serves a network on pixels";
            case ServedModel.Network(AttributionNetwork network) -> networkProblem(slot, network);
            case ServedModel.Detector(DetectionNetwork network) -> detectorProblem(network);
        };
    }

    /** Why head {@code candidate} cannot replace {@code serving} in {@code slot}, or {@code null} when it can. */
    static String incompatibility(ModelSlot slot, VectorHead serving, VectorHead candidate) {
        HeadMetadata was = serving.metadata();
        HeadMetadata is = candidate.metadata();
        if (!is.stage().name().equals(slot.stage().name())) {
            return "it is a " + is.stage() + " head, not a " + slot.stage() + " head";
        }
        if (!is.classes().equals(was.classes())) {
            return "its classes " + is.classes() + " differ from the serving head's " + was.classes();
        }
        if (!is.encoder().equals(was.encoder())) {
            return "it was trained on " + is.encoder().id() + " vectors of size " + is.encoder().embeddingSize()
                    + " but this stage receives " + was.encoder().id() + " vectors of size "
                    + was.encoder().embeddingSize() + "; train it on the pipeline's encoder";
        }
        float[] vector = new float[is.encoder().embeddingSize()];
        Random random = new Random(SMOKE_SEED);
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) random.nextGaussian();
        }
        try {
            return probabilitiesProblem(candidate.classify(vector));
        } catch (RuntimeException e) {
            return "its smoke prediction failed: " + e;
        }
    }

    /**
     * An attribution network must tell apart the generators of the slot's family (its classes may change: a retrained
     * network may know a new generator); the family network, the families. Both must answer one finite score per
     * class for a crop of their input size.
     */
    private static String networkProblem(ModelSlot slot, AttributionNetwork network) {
        AttributionMetadata metadata = network.metadata();
        String family = slot == ModelSlot.GAN_ATTRIBUTION
                ? "gan"
                : slot == ModelSlot.DIFFUSION_ATTRIBUTION
                        ? "diffusion"
                        : null;
        if (family != null && !family.equals(metadata.family())) {
            return "it is a network of family '" + metadata.family() + "' " + metadata.classes() + ", but the "
                    + slot.description() + " names " + family + " generators; train one on that family's "
                    + "generators";
        }
        if (metadata.detection() != null) {
            return "it is a real/fake network; it belongs in the detection-network slot";
        }
        if (metadata.classes().isEmpty() || new HashSet<>(metadata.classes()).size() != metadata.classes().size()) {
            return "its classes " + metadata.classes() + " are empty or repeat a name";
        }
        try {
            BufferedImage smoke = smokeImage();
            float[] logits = network.logits(smoke);
            if (logits.length != metadata.classes().size()) {
                return "its smoke prediction gave " + logits.length + " scores for " + metadata.classes().size()
                        + " classes " + metadata.classes();
            }
            AttributionDecision decision = network.attribute(smoke);
            return probabilitiesProblem(decision.scores().values().stream().mapToDouble(Double::doubleValue)
                    .toArray(), decision.scores().toString());
        } catch (RuntimeException e) {
            return "its smoke prediction on a " + SMOKE_SIDE + "x" + SMOKE_SIDE + " image (crop "
                    + metadata.cropSize() + ") failed: " + e;
        }
    }

    /** A real/fake network must have a serving threshold within [0, 1] and give a probability of FAKE. */
    private static String detectorProblem(DetectionNetwork network) {
        double threshold = network.serving().threshold();
        if (!(threshold >= 0 && threshold <= 1)) {
            return "its serving threshold " + threshold + " is not within [0, 1]; retrain it";
        }
        try {
            return probabilitiesProblem(network.detect(smokeImage()));
        } catch (RuntimeException e) {
            return "its smoke prediction on a " + SMOKE_SIDE + "x" + SMOKE_SIDE + " image (crop "
                    + network.metadata().cropSize() + ") failed: " + e;
        }
    }

    private static String probabilitiesProblem(HeadDecision smoke) {
        if (!Double.isFinite(smoke.score())) {
            return "its smoke prediction gave the score " + smoke.score();
        }
        return probabilitiesProblem(smoke.scores().values().stream().mapToDouble(Double::doubleValue).toArray(),
                smoke.scores().toString());
    }

    private static String probabilitiesProblem(double[] probabilities, String shown) {
        double sum = 0;
        for (double p : probabilities) {
            if (!Double.isFinite(p) || p < 0 || p > 1) {
                return "its smoke prediction gave scores " + shown + ", not probabilities";
            }
            sum += p;
        }
        return Math.abs(sum - 1) > 1e-3 ? "its smoke prediction gave scores " + shown + ", not probabilities" : null;
    }

    /** The same fixed noise image for every smoke prediction. */
    private static BufferedImage smokeImage() {
        BufferedImage image = new BufferedImage(SMOKE_SIDE, SMOKE_SIDE, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(SMOKE_SEED);
        for (int y = 0; y < SMOKE_SIDE; y++) {
            for (int x = 0; x < SMOKE_SIDE; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return image;
    }

    /** What an operator should know changed besides the version: a network's classes or crop. */
    static String changes(ServedModel was, ServedModel is) {
        if (was instanceof ServedModel.Head) {
            return "";
        }
        StringBuilder changes = new StringBuilder();
        if (!was.classes().equals(is.classes())) {
            changes.append("; classes ").append(was.classes()).append(" -> ").append(is.classes());
        }
        int wasCrop = crop(was);
        int isCrop = crop(is);
        if (wasCrop != isCrop) {
            changes.append("; crop ").append(wasCrop).append(" -> ").append(isCrop);
        }
        return changes.toString();
    }

    private static int crop(ServedModel model) {
        return switch (model) {
            case ServedModel.Network(AttributionNetwork network) -> network.metadata().cropSize();
            case ServedModel.Detector(DetectionNetwork network) -> network.metadata().cropSize();
            case ServedModel.Head head -> 0;
        };
    }
}
