package dev.aidetect.classifier.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import dev.aidetect.schemas.Stage;

/** The models a classifier instance can hold, each configured on its own. */
public enum ModelSlot {
    DETECTION_HEAD(Stage.DETECTION, "detection head", "aidetect.classifier.detection-head"),
    /** The detection stage as a real/fake network on pixels, alone or fused with the head. */
    DETECTION_NETWORK(Stage.DETECTION, "detection network", "aidetect.classifier.detection-network"), FAMILY_HEAD(
            Stage.FAMILY, "family head", "aidetect.classifier.family-head"),
    /** The family stage as a network on pixels instead of a head on vectors. */
    FAMILY_NETWORK(Stage.FAMILY, "family network", "aidetect.classifier.family-network"), GAN_ATTRIBUTION(
            Stage.ATTRIBUTION, "gan attribution network", "aidetect.classifier.attribution.gan"), DIFFUSION_ATTRIBUTION(
                    Stage.ATTRIBUTION, "diffusion attribution network",
                    "aidetect.classifier.attribution.diffusion");

    private final Stage stage;
    private final String description;
    private final String property;

    ModelSlot(Stage stage, String description, String property) {
        this.stage = stage;
        this.description = description;
        this.property = property;
    }

    public Stage stage() {
        return stage;
    }

    public String description() {
        return description;
    }

    /** The configuration property that locates the model. */
    public String property() {
        return property;
    }

    /** The slot's name in the HTTP API, e.g. {@code detection-head}: the property without its prefix. */
    public String apiName() {
        return property.substring("aidetect.classifier.".length()).replace('.', '-');
    }

    /** The slot named {@code name} in the HTTP API, if any. */
    public static Optional<ModelSlot> ofApiName(String name) {
        return Arrays.stream(values()).filter(slot -> slot.apiName().equals(name)).findFirst();
    }

    /** Whether the slot holds a vector head (on embeddings) rather than a network on pixels. */
    public boolean holdsVectorHead() {
        return this == DETECTION_HEAD || this == FAMILY_HEAD;
    }

    /** The environment variable form of {@link #property()}. */
    public String environmentVariable() {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The attribution slot of a generator family. */
    public static ModelSlot attribution(String family) {
        return switch (family) {
            case "gan" -> GAN_ATTRIBUTION;
            case "diffusion" -> DIFFUSION_ATTRIBUTION;
            default -> throw new IllegalArgumentException("no attribution network slot for family '" + family + "'");
        };
    }
}
