package dev.aidetect.fetch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import dev.aidetect.common.RetryPolicy;

/**
 * What an {@link ImageFetcher} may fetch, as a caller's configuration states it.
 *
 * @param allowedHosts the hosts http(s): URIs may name (exact, case-insensitive); empty: every http(s): URI is refused
 * @param fileRoot the directory file: URIs must lie under (after resolving links); empty: file: URIs are refused
 * @param timeout the longest one fetch may take, all of it: DNS lookup, connect, TLS handshake, headers and body
 * @param allowPrivateAddresses whether allowed hosts may resolve to non-global addresses ({@link AddressPolicy})
 * @param allowPlainHttp whether plain http: is fetched besides https:
 * @param maxBytes the most bytes an image may have; more is TOO_LARGE
 * @param settingsPrefix the caller's configuration prefix (such as {@code aidetect.embedder}), so that each refusal
 *        names the setting to change: {@code <prefix>.fetch.allowed-hosts}, {@code <prefix>.max-bytes}, ...
 * @param retry how a transient failure of an http(s): fetch (a timeout, a refused or reset connection, HTTP 408, 429,
 *        500, 502, 503, 504) is retried ({@code <prefix>.fetch.retry.*}); one that lasts through it is UNAVAILABLE
 *        (retryable). Empty: nothing is retried or told apart, every failure is FETCH_FAILED at once (the fetcher
 *        before retries; its contract tests use it)
 */
public record FetchSettings(List<String> allowedHosts, Optional<Path> fileRoot, Duration timeout,
        boolean allowPrivateAddresses, boolean allowPlainHttp, long maxBytes, String settingsPrefix,
        Optional<RetryPolicy> retry) {

    /** Without retries: every failure is FETCH_FAILED at once. */
    public FetchSettings(List<String> allowedHosts, Optional<Path> fileRoot, Duration timeout,
            boolean allowPrivateAddresses, boolean allowPlainHttp, long maxBytes, String settingsPrefix) {
        this(allowedHosts, fileRoot, timeout, allowPrivateAddresses, allowPlainHttp, maxBytes, settingsPrefix,
                Optional.empty());
    }

    public FetchSettings {
        allowedHosts = allowedHosts.stream().map(host -> host.toLowerCase(Locale.ROOT)).toList();
        Objects.requireNonNull(fileRoot, "fileRoot");
        Objects.requireNonNull(retry, "retry");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(settingsPrefix + ".fetch.timeout must be positive, not " + timeout);
        }
        if (maxBytes < 0 || maxBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(settingsPrefix + ".max-bytes must be 0 to " + (Integer.MAX_VALUE - 8)
                    + " (an image is read into one array), not " + maxBytes);
        }
    }

    /** The full name of the fetch setting {@code name}, as a refusal names it. */
    String fetchSetting(String name) {
        return settingsPrefix + ".fetch." + name;
    }

    /** The full name of the max-bytes setting. */
    String maxBytesSetting() {
        return settingsPrefix + ".max-bytes";
    }
}
