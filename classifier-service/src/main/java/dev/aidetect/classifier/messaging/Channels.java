package dev.aidetect.classifier.messaging;

import java.util.List;

import dev.aidetect.classifier.domain.ModelSlot;

/** Channel names; each equals its topic's name (see {@code Topics}), as does its mapping in application.properties. */
public final class Channels {
    public static final String EMBEDDED = "images.embedded";
    public static final String FAMILY_REQUESTS = "stage.family.requests";
    public static final String GAN_ATTRIBUTION_REQUESTS = "stage.attribution.gan.requests";
    public static final String DIFFUSION_ATTRIBUTION_REQUESTS = "stage.attribution.diffusion.requests";
    public static final String DETECTION_VERDICTS = "verdicts.detection";
    public static final String FAMILY_VERDICTS = "verdicts.family";
    public static final String ATTRIBUTION_VERDICTS = "verdicts.attribution";
    public static final String REJECTED = "images.rejected";

    private Channels() {
    }

    /** The incoming channel a model slot serves; it stays paused until that model has loaded. */
    public static String servedBy(ModelSlot slot) {
        return switch (slot) {
            case DETECTION_HEAD, DETECTION_NETWORK -> EMBEDDED;
            case FAMILY_HEAD, FAMILY_NETWORK -> FAMILY_REQUESTS;
            case GAN_ATTRIBUTION -> GAN_ATTRIBUTION_REQUESTS;
            case DIFFUSION_ATTRIBUTION -> DIFFUSION_ATTRIBUTION_REQUESTS;
        };
    }

    /** Every incoming channel. */
    public static List<String> incoming() {
        return List.of(EMBEDDED, FAMILY_REQUESTS, GAN_ATTRIBUTION_REQUESTS, DIFFUSION_ATTRIBUTION_REQUESTS);
    }

    /** Every outgoing channel. */
    public static List<String> outgoing() {
        return List.of(DETECTION_VERDICTS, FAMILY_VERDICTS, ATTRIBUTION_VERDICTS, REJECTED);
    }
}
