package dev.aidetect.embedding;

import dev.aidetect.imaging.decode.ImageRejectedException;
import dev.aidetect.schemas.RejectReason;

/**
 * Reads the bytes a submission's {@code image.uri} names, for the engine's decode threads. The embedder-service hands
 * in the shared {@code fetch} module's fetcher, which applies the policy (allowed hosts and addresses, file root, size
 * cap, one deadline).
 */
@FunctionalInterface
public interface UriFetcher {
    /** Fetches nothing: every uri is FETCH_FAILED (callers whose submissions carry their content inline). */
    UriFetcher NONE = uri -> {
        throw new ImageRejectedException(RejectReason.FETCH_FAILED,
                "this embedder fetches no image.uri (" + uri + "): send the image bytes in image.content");
    };

    /**
     * @throws ImageRejectedException FETCH_FAILED or TOO_LARGE, with what to change; UNAVAILABLE (retryable) when a
     *         transient failure outlasted the fetcher's retries
     */
    byte[] fetch(String uri) throws ImageRejectedException;
}
