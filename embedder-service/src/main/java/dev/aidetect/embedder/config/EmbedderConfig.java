package dev.aidetect.embedder.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import dev.aidetect.imaging.DecodeLimits;

/** The embedder's settings ({@code aidetect.embedder.*}). */
@ConfigMapping(prefix = "aidetect.embedder")
public interface EmbedderConfig {
    /** The encoder's manifest.json (env AIDETECT_EMBEDDER_ENCODER_MANIFEST); its model file sits next to it. */
    Path encoderManifest();

    /** Largest encoded image accepted, in bytes; bigger ones are rejected TOO_LARGE. */
    @WithDefault("20971520")
    long maxBytes();

    /** Largest decoded image accepted, in pixels (width x height, read from the header); else TOO_MANY_PIXELS. */
    @WithDefault("40000000")
    long maxPixels();

    /** Longest one image may take to decode; else DECODE_TIMEOUT. */
    @WithDefault("5s")
    Duration decodeTimeout();

    /** Most images per forward pass of the encoder. */
    @WithDefault("16")
    int maxBatch();

    /** Threads that decode and preprocess images in parallel; default: the available processors. */
    OptionalInt decodeThreads();

    /** Fetching of submissions that name an {@code image.uri} instead of inline content. */
    Fetch fetch();

    /** Where {@code image.uri} may point ({@code aidetect.embedder.fetch.*}); everything else is FETCH_FAILED. */
    interface Fetch {
        /** Hosts https: URIs may name (exact, case-insensitive); none set: https: URIs are refused. */
        Optional<List<String>> allowedHosts();

        /** Directory that file: URIs must lie under (after resolving links); unset: file: URIs are refused. */
        Optional<Path> fileRoot();

        /** Longest one fetch may take, connecting and reading the body. */
        @WithDefault("10s")
        Duration timeout();

        /** Whether allowed hosts may resolve to loopback, private, link-local or CGNAT addresses (off: SSRF guard). */
        @WithDefault("false")
        boolean allowPrivateAddresses();

        /** Whether plain http: is accepted besides https: (for tests and trusted internal stores only). */
        @WithDefault("false")
        boolean allowPlainHttp();
    }

    default DecodeLimits decodeLimits() {
        return new DecodeLimits(maxBytes(), maxPixels(), decodeTimeout());
    }
}
