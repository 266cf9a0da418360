package dev.aidetect.fetch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.WithDefault;

import dev.aidetect.common.RetryPolicy;

/**
 * The fetch settings of every service that fetches image uris (the embedder for every submission by uri, the
 * classifier for the pixels of the ones it attributes), as one config group under each service's prefix
 * ({@code aidetect.embedder.fetch.*}, {@code aidetect.classifier.fetch.*}): the same names, defaults and meaning in
 * both, so an image the embedder may fetch the classifier may fetch too when both are given the same values.
 */
public interface FetchConfig {
    /** Hosts https: URIs may name (exact, case-insensitive); none set: https: URIs are refused. */
    Optional<List<String>> allowedHosts();

    /** Directory that file: URIs must lie under (after resolving links); unset: file: URIs are refused. */
    Optional<Path> fileRoot();

    /** Longest one fetch may take, all of it: DNS lookup, connect, TLS handshake, response headers and body. */
    @WithDefault("10s")
    Duration timeout();

    /** Whether allowed hosts may resolve to non-global addresses: private, loopback, CGNAT... (off: SSRF guard). */
    @WithDefault("false")
    boolean allowPrivateAddresses();

    /** Whether plain http: is accepted besides https: (for tests and trusted internal stores only). */
    @WithDefault("false")
    boolean allowPlainHttp();

    /**
     * How a fetch that failed for a reason that says "not now" (a timeout, a refused or reset connection, HTTP 408,
     * 429, 500, 502, 503, 504) is tried again before the image is rejected UNAVAILABLE (retryable).
     */
    Retry retry();

    /** Retries of a transient fetch failure ({@code <prefix>.fetch.retry.*}), in place on the fetching thread. */
    interface Retry {
        /** Most attempts of one fetch, the first included (1: never retried). */
        @WithDefault("4")
        int attempts();

        /** Longest pause before the second attempt; each later pause may be twice the one before (half is random). */
        @WithDefault("250ms")
        Duration initialBackoff();

        /** Longest any pause may be. */
        @WithDefault("2s")
        Duration maxBackoff();

        /** No attempt starts later than this after the first (a fetch ends within it plus one fetch timeout). */
        @WithDefault("15s")
        Duration maxTotal();
    }

    /**
     * The fetcher's settings.
     *
     * @param maxBytes the byte cap (the service's max-bytes)
     * @param prefix the service's config prefix, which refusals name (e.g. {@code aidetect.embedder})
     */
    default FetchSettings settings(long maxBytes, String prefix) {
        return new FetchSettings(allowedHosts().orElse(List.of()), fileRoot(), timeout(), allowPrivateAddresses(),
                allowPlainHttp(), maxBytes, prefix, Optional.of(new RetryPolicy(retry().attempts(),
                        retry().initialBackoff(), retry().maxBackoff(), retry().maxTotal())));
    }
}
