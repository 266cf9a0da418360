package dev.aidetect.classifier.domain;

import dev.aidetect.schemas.Stage;

/** The models a classifier instance can hold, each configured on its own. */
public enum ModelSlot {
    DETECTION_HEAD(Stage.DETECTION, "detection head", "aidetect.classifier.detection-head"), FAMILY_HEAD(Stage.FAMILY,
            "family head", "aidetect.classifier.family-head"), GAN_ATTRIBUTION(Stage.ATTRIBUTION,
                    "gan attribution network", "aidetect.classifier.attribution.gan"), DIFFUSION_ATTRIBUTION(
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

    /** The environment variable form of {@link #property()}. */
    public String environmentVariable() {
        return property.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
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
