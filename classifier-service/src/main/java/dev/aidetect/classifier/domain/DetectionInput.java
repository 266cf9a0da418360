package dev.aidetect.classifier.domain;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What the real/fake call is made on ({@code aidetect.classifier.detection-input}): the embedding's vector (the
 * detection head), the image's pixels (the detection network, reading the original the embedding names), or both,
 * fused (see {@code DetectionFusion}).
 */
public enum DetectionInput {
    VECTOR(EnumSet.of(ModelSlot.DETECTION_HEAD)), PIXELS(EnumSet.of(ModelSlot.DETECTION_NETWORK)), FUSED(
            EnumSet.of(ModelSlot.DETECTION_HEAD, ModelSlot.DETECTION_NETWORK));

    private final Set<ModelSlot> slots;

    DetectionInput(Set<ModelSlot> slots) {
        this.slots = slots;
    }

    /** The detection slots this input decides with; the other detection slot is not used. */
    public Set<ModelSlot> slots() {
        return slots;
    }

    /** Whether the detection stage needs each image's pixels. */
    public boolean readsPixels() {
        return slots.contains(ModelSlot.DETECTION_NETWORK);
    }

    /**
     * The input a setting's value names, in any case.
     *
     * @throws IllegalArgumentException naming the values there are, when it names none
     */
    public static DetectionInput of(String label) {
        for (DetectionInput input : values()) {
            if (input.label().equalsIgnoreCase(label.strip())) {
                return input;
            }
        }
        throw new IllegalArgumentException("'" + label + "' is none of vector, pixels, fused");
    }

    /** The setting's value, e.g. {@code pixels}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
