package dev.aidetect.classifier.inference;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.function.Supplier;

import dev.aidetect.heads.HeadDecision;
import dev.aidetect.heads.VectorHead;
import dev.aidetect.heads.VectorRejectedException;
import dev.aidetect.heads.attribution.DetectionNetwork;

/**
 * The detection stage's call on one image's pixels, free of the service's wiring so that {@link PixelDetector} and
 * {@code aidetect eval --offline} (tools' {@code OfflinePipeline}) make it with the same code: the detection network's
 * P(FAKE) alone ({@code detection-input=pixels}), or fused with the detection head's on the embedding's vector
 * ({@code fused}, {@link DetectionFusion}), named after the network, or after both, network first, as
 * {@code <network id>+<head id>} version {@code <network version>+<head version>}.
 */
public final class PixelDetection {
    /** Joins the ids and the versions of the models a fused verdict names. */
    public static final String FUSED_JOIN = "+";

    /** Times one model's inference (the service's metrics; nothing offline). */
    @FunctionalInterface
    public interface Timing {
        Timing NONE = (modelId, inference) -> inference.get();

        HeadDecision time(String modelId, Supplier<HeadDecision> inference);
    }

    /** A decision and the model (or the two fused models) it is named after. */
    public record Named(HeadDecision decision, String modelId, String modelVersion) {
    }

    private PixelDetection() {
    }

    /**
     * The network's decision on the image, fused with the head's on {@code vector} when a head is given.
     *
     * @param head the detection head when fused, else null
     * @param vector the embedding's vector as {@link #checked} returned it, when fused; else null
     */
    public static Named decide(DetectionNetwork network, VectorHead head, float[] vector, BufferedImage rgb,
            Timing timing) {
        HeadDecision onPixels = timing.time(network.id(), () -> network.detect(rgb));
        if (head == null) {
            return new Named(onPixels, network.id(), network.version());
        }
        HeadDecision onVector = timing.time(head.id(), () -> head.classify(vector));
        return new Named(DetectionFusion.fuse(onVector, onPixels), network.id() + FUSED_JOIN + head.id(),
                network.version() + FUSED_JOIN + head.version());
    }

    /**
     * A vector, once the head has checked that it is from the head's encoder and of its size, and that it is not all
     * zeros: no encoder's output for an image is exactly zero, so such a vector is a broken or skipped forward pass (a
     * head would still score it, by its bias alone, and the image would end DECIDED on nothing).
     *
     * @throws VectorRejectedException when it is not
     */
    public static float[] checked(VectorHead head, String encoderId, List<Float> values) {
        head.checkEncoder(encoderId, values.size());
        float[] vector = new float[values.size()];
        boolean allZero = true;
        for (int i = 0; i < vector.length; i++) {
            vector[i] = values.get(i);
            allZero &= vector[i] == 0f;
        }
        if (allZero) {
            throw new VectorRejectedException(VectorRejectedException.Reason.BAD_VECTOR, "all " + vector.length
                    + " components of the vector are zero; no image embeds to that (check the encoder " + encoderId
                    + ": a failed or skipped forward pass)");
        }
        return vector;
    }
}
