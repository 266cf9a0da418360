package dev.aidetect.classifier.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where the classifier's models are ({@code aidetect.classifier.*}). A stage whose model is not configured is not
 * consumed by this instance; every configured model must load before the service is ready.
 */
@ConfigMapping(prefix = "aidetect.classifier")
public interface ClassifierConfig {
    /** Detection head artifact (REAL/FAKE on vectors); env AIDETECT_CLASSIFIER_DETECTION_HEAD. */
    Optional<Path> detectionHead();

    /** Family head artifact (gan/diffusion on vectors); env AIDETECT_CLASSIFIER_FAMILY_HEAD. */
    Optional<Path> familyHead();

    /**
     * Family network directory (gan/diffusion on pixels, attribution network format), instead of a family head; env
     * AIDETECT_CLASSIFIER_FAMILY_NETWORK. Family requests must then carry the image (router option
     * aidetect.router.family-request-image=true).
     */
    Optional<Path> familyNetwork();

    /**
     * How often the vector heads' artifact files are checked for a replacement (moved into place atomically); 0
     * turns watching off ({@code POST /models/{slot}/reload} still works); env AIDETECT_CLASSIFIER_RELOAD_INTERVAL.
     */
    @WithDefault("2s")
    Duration reloadInterval();

    /**
     * How long a record waits for its stage's model while that model is loading, counted from when the load began (so
     * a poll of records waits once, not once per record); then it is rejected UNAVAILABLE (retryable). Keep it well
     * under the consumer's max.poll.interval.ms (5 min); env AIDETECT_CLASSIFIER_MODEL_WAIT.
     */
    @WithDefault("30s")
    Duration modelWait();

    /** Per-family attribution networks. */
    Attribution attribution();

    /** Attribution network directories, one per generator family. */
    interface Attribution {
        /** GAN attribution network directory; env AIDETECT_CLASSIFIER_ATTRIBUTION_GAN. */
        Optional<Path> gan();

        /** Diffusion attribution network directory; env AIDETECT_CLASSIFIER_ATTRIBUTION_DIFFUSION. */
        Optional<Path> diffusion();

        /** Overrides every network's calibrated unknown threshold (0..1); env AIDETECT_CLASSIFIER_ATTRIBUTION_UNKNOWN_THRESHOLD. */
        OptionalDouble unknownThreshold();
    }
}
