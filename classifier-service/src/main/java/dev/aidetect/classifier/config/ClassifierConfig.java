package dev.aidetect.classifier.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import dev.aidetect.classifier.domain.DetectionInput;
import dev.aidetect.fetch.FetchConfig;
import dev.aidetect.fetch.FetchSettings;
import dev.aidetect.imaging.decode.DecodeLimits;

/**
 * Where the classifier's models are, and how its pixel stages read images ({@code aidetect.classifier.*}). A stage
 * whose model is not configured is not consumed by this instance; every configured model must load before the service
 * is ready. The image settings have the embedder's names and defaults ({@code aidetect.embedder.max-bytes},
 * {@code aidetect.embedder.fetch.*}, ...): an image the embedder took must reach attribution as well.
 */
@ConfigMapping(prefix = "aidetect.classifier")
public interface ClassifierConfig {
    /** The prefix that refusals name, so an operator knows which setting to change. */
    String PREFIX = "aidetect.classifier";

    /** Detection head artifact (REAL/FAKE on vectors); env AIDETECT_CLASSIFIER_DETECTION_HEAD. */
    Optional<Path> detectionHead();

    /**
     * What the real/fake call is made on: vector (the detection head on the embedding), pixels (the detection network
     * on the original image the embedding names) or fused (both; their logits averaged); env
     * AIDETECT_CLASSIFIER_DETECTION_INPUT.
     */
    @WithDefault("vector")
    DetectionInput detectionInput();

    /**
     * Detection network directory (REAL/FAKE on pixels, {@code aidetect train detector}), used when detection-input is
     * pixels or fused; env AIDETECT_CLASSIFIER_DETECTION_NETWORK.
     */
    Optional<Path> detectionNetwork();

    /** Family head artifact (gan/diffusion on vectors); env AIDETECT_CLASSIFIER_FAMILY_HEAD. */
    Optional<Path> familyHead();

    /**
     * Family network directory (gan/diffusion on pixels, attribution network format), instead of a family head; env
     * AIDETECT_CLASSIFIER_FAMILY_NETWORK. Family requests must then carry the image (router option
     * aidetect.router.family-request-image=true).
     */
    Optional<Path> familyNetwork();

    /**
     * The directory {@code POST /models/{slot}/reload?path=} may read models from: the path (relative ones resolved
     * against it) must lie under it once symbolic links are followed. Unset: the directory that holds the slot's
     * configured model. The configured locations themselves are not confined (they are the operator's); env
     * AIDETECT_CLASSIFIER_MODEL_DIR.
     */
    Optional<Path> modelDir();

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

    /** Largest encoded image a pixel stage reads, in bytes (fetched or decoded); bigger ones are rejected TOO_LARGE. */
    @WithDefault("" + DecodeLimits.DEFAULT_MAX_BYTES)
    long maxBytes();

    /** Largest decoded image accepted, in pixels (width x height, read from the header); else TOO_MANY_PIXELS. */
    @WithDefault("" + DecodeLimits.DEFAULT_MAX_PIXELS)
    long maxPixels();

    /** Longest one image may take to decode; else DECODE_TIMEOUT. */
    @WithDefault("5s")
    Duration decodeTimeout();

    /**
     * Fetching the pixels of images submitted by uri ({@code aidetect.classifier.fetch.*}), with the embedder's
     * fetcher (the {@code fetch} module) and the embedder's setting names.
     */
    FetchConfig fetch();

    /** Reading the pixels of images submitted inline from their images.ingest record (the claim check). */
    ClaimCheck claimCheck();

    /** How the images.ingest records that hold inline images are read ({@code aidetect.classifier.claim-check.*}). */
    interface ClaimCheck {
        /** Longest the records of one poll may take to read from the broker; past it the rest are UNAVAILABLE (retryable). */
        @WithDefault("30s")
        Duration timeout();

        /**
         * Most bytes of images read ahead from images.ingest at once (by the requests' declared sizes): a poll of
         * requests is decided in windows of about this many bytes, each window's records read together.
         */
        @WithDefault("67108864")
        long readAheadBytes();
    }

    /** The shared fetcher's settings: fetch.*, and max-bytes as its byte cap; refusals name these settings. */
    default FetchSettings fetchSettings() {
        return fetch().settings(maxBytes(), PREFIX);
    }

    default DecodeLimits decodeLimits() {
        return new DecodeLimits(maxBytes(), maxPixels(), decodeTimeout());
    }
}
