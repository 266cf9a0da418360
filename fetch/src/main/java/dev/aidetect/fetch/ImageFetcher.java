package dev.aidetect.fetch;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

import javax.net.ssl.SSLContext;

import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.NoHttpResponseException;

import dev.aidetect.common.RetryPolicy;
import dev.aidetect.imaging.decode.ImageRejectedException;
import dev.aidetect.schemas.RejectReason;

/**
 * Fetches the bytes an {@code image.uri} names: {@code https:} from allow-listed hosts that do not resolve to internal
 * addresses ({@link AddressPolicy}; unless configured), connecting to the very addresses checked
 * ({@link VettingDnsResolver}), {@code file:} under a configured root; capped at max-bytes, redirects not followed, and
 * all of it (DNS lookup, connect, TLS handshake, response) within the fetch timeout ({@link FetchDeadline}). HTTP is
 * Apache HttpClient's ({@link GuardedHttpClient}). With a retry policy ({@link FetchSettings#retry()}), a transient
 * failure (a timeout, a refused or reset connection, HTTP 408, 429, 500, 502, 503, 504) is tried again with bounded
 * backoff, in place, and becomes UNAVAILABLE (retryable) only when it lasts through every attempt; a refused host or
 * address, a 404 or any other lasting failure is refused at once. Every other refusal is FETCH_FAILED (TOO_LARGE for
 * size) naming the setting to change. Safe for concurrent use; {@link #close()} releases the kept connections.
 */
public final class ImageFetcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ImageFetcher.class.getName());
    /** Statuses that say "not now" rather than "never": timeout, too many requests, and the server errors of a store. */
    private static final Set<Integer> TRANSIENT_STATUSES = Set.of(408, 429, 500, 502, 503, 504);

    private final FetchSettings settings;
    private final GuardedHttpClient http;

    /** Looks hosts up with the system resolver and trusts the JDK's certificate authorities. */
    public ImageFetcher(FetchSettings settings) {
        this(settings, InetAddress::getAllByName, AddressPolicy::isInternal, defaultTls());
    }

    /** With the lookup, the address policy and TLS given (tests script them). */
    ImageFetcher(FetchSettings settings, HostLookup.HostResolver resolver, Predicate<InetAddress> internal,
            SSLContext tls) {
        this.settings = settings;
        this.http = new GuardedHttpClient(new VettingDnsResolver(new HostLookup(resolver), internal, settings), tls,
                settings.timeout());
    }

    /** @throws ImageRejectedException FETCH_FAILED or TOO_LARGE, with what to change; UNAVAILABLE after retries */
    public byte[] fetch(String uriText) throws ImageRejectedException {
        URI uri;
        try {
            uri = new URI(uriText);
        } catch (URISyntaxException e) {
            throw failed("image uri '" + UriRedaction.redact(uriText) + "' is not a valid URI (" + e.getReason()
                    + " at index " + e.getIndex() + ")", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "file" -> readFile(uri);
            case "https" -> download(uri);
            case "http" -> {
                if (!settings.allowPlainHttp()) {
                    throw failed("image uri " + UriRedaction.redact(uri) + " uses plain http: use https (or set "
                            + settings.fetchSetting("allow-plain-http") + " for a trusted internal store)", null);
                }
                yield download(uri);
            }
            default -> throw failed(
                    "image uri " + UriRedaction.redact(uri) + " has scheme '" + scheme + "': only https: and file: are "
                            + "fetched; send other images inline in image.content",
                    null);
        };
    }

    private byte[] readFile(URI uri) throws ImageRejectedException {
        if (settings.fileRoot().isEmpty()) {
            throw failed("image uri " + UriRedaction.redact(uri) + " is a file: URI but no "
                    + settings.fetchSetting("file-root")
                    + " is configured", null);
        }
        try {
            Path root = settings.fileRoot().get().toRealPath();
            Path file = Path.of(uri).toRealPath();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                throw failed("image uri " + UriRedaction.redact(uri) + " is not a file under " + root + " ("
                        + settings.fetchSetting("file-root") + ")", null);
            }
            if (Files.size(file) > settings.maxBytes()) {
                throw tooLarge(uri);
            }
            return Files.readAllBytes(file);
        } catch (IOException | IllegalArgumentException e) {
            throw failed("image uri " + UriRedaction.redact(uri) + " could not be read (" + e
                    + "): check that the file exists", e);
        }
    }

    private byte[] download(URI uri) throws ImageRejectedException {
        if (uri.getRawUserInfo() != null) {
            throw failed("image uri " + UriRedaction.redact(uri) + " carries credentials before the host, which the "
                    + "fetcher never sends (nor shows): use a presigned URL or an allow-listed store that needs none",
                    null);
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (!settings.allowedHosts().contains(host)) {
            throw failed("image uri " + UriRedaction.redact(uri) + " names host '" + host + "', which is not in "
                    + settings.fetchSetting("allowed-hosts") + " " + settings.allowedHosts()
                    + ": add it there or send the bytes inline", null);
        }
        if (settings.retry().isEmpty()) {
            return attempt(uri, host).bodyOrThrow(uri);
        }
        RetryPolicy policy = settings.retry().get();
        RetryPolicy.Attempts attempts = policy.start();
        while (true) {
            Attempt attempt = attempt(uri, host);
            if (attempt.body() != null) {
                return attempt.body();
            }
            if (!attempt.transientFailure()) {
                throw attempts.made() == 1 ? attempt.failure(uri) : attempt.failureAfter(uri, attempts.made());
            }
            if (!attempts.pauseBeforeNext()) {
                throw unavailable(uri, attempt, attempts, policy);
            }
            LOG.log(Level.DEBUG, "Fetching {0} again (attempt {1}): it {2}", UriRedaction.redact(uri), attempts.made(),
                    attempt.problem());
        }
    }

    /**
     * One GET of {@code uri}: its body, or why it failed and whether that is transient (worth another attempt): a
     * timeout, a connection refused, reset or closed early, HTTP 408, 429, 500, 502, 503 or 504. A refused host or
     * address, an unknown host, a body over the cap, a TLS failure or any other status is not.
     */
    private Attempt attempt(URI uri, String host) {
        GuardedHttpClient.Response response;
        try (FetchDeadline deadline = new FetchDeadline(settings.timeout())) {
            response = http.get(uri, deadline, settings.maxBytes());
        } catch (FetchDeadline.ExpiredException e) {
            return Attempt.problem(e.getMessage() + ": the whole fetch (DNS lookup, connect, TLS handshake, response) "
                    + "must end within " + settings.fetchSetting("timeout") + " (" + settings.timeout().toMillis()
                    + " ms): raise it for slow hosts", e, true);
        } catch (GuardedHttpClient.TooLargeException e) {
            return new Attempt(null, null, e, false, tooLarge(uri));
        } catch (VettingDnsResolver.RefusedHostException e) {
            return Attempt.problem(e.getMessage(), e, false);
        } catch (UnknownHostException e) {
            return Attempt.problem("names unknown host '" + host + "'", e, false);
        } catch (IOException e) {
            return Attempt.problem("could not be fetched (" + e + ")", e, transientFailure(e));
        }
        int status = response.status();
        if (status != 200) {
            boolean transientStatus = TRANSIENT_STATUSES.contains(status);
            String advice = status >= 300 && status < 400
                    ? " (redirects are not followed): give the final URL of the image"
                    : transientStatus ? ": the image store is failing or busy" : ": check the URI";
            return Attempt.problem("answered HTTP " + status + advice, null, transientStatus);
        }
        return new Attempt(response.body(), null, null, false, null);
    }

    /** A connection refused, reset or broken, or one that closed before or during the response. */
    private static boolean transientFailure(IOException e) {
        return e instanceof SocketException || e instanceof NoHttpResponseException
                || e instanceof ConnectionClosedException;
    }

    /**
     * The outcome of one attempt: the body, or the problem (what follows "image uri X " in a refusal) with its cause,
     * or a refusal of its own ({@code rejection}, for TOO_LARGE).
     */
    private record Attempt(byte[] body, String problem, Throwable cause, boolean transientFailure,
            ImageRejectedException rejection) {

        static Attempt problem(String problem, Throwable cause, boolean transientFailure) {
            return new Attempt(null, problem, cause, transientFailure, null);
        }

        byte[] bodyOrThrow(URI uri) throws ImageRejectedException {
            if (body != null) {
                return body;
            }
            throw failure(uri);
        }

        ImageRejectedException failure(URI uri) {
            return rejection != null
                    ? rejection
                    : failed("image uri " + UriRedaction.redact(uri) + " " + problem, cause);
        }

        /** A lasting failure after transient ones: the same refusal, saying which attempt met it. */
        ImageRejectedException failureAfter(URI uri, int attempt) {
            ImageRejectedException failure = failure(uri);
            return new ImageRejectedException(failure.reason(), failure.getMessage() + " (on attempt " + attempt
                    + ", after transient failures)", failure.getCause());
        }
    }

    /** UNAVAILABLE (retryable): every attempt the policy allowed failed, the last as {@code last} says. */
    private ImageRejectedException unavailable(URI uri, Attempt last, RetryPolicy.Attempts attempts,
            RetryPolicy policy) {
        return new ImageRejectedException(RejectReason.UNAVAILABLE, String.format(Locale.ROOT,
                "image uri %s still failed after %d attempts over %.1f s (at most %s=%d attempts, none started after "
                        + "%s=%d ms); the last %s. Submit the image again later",
                UriRedaction.redact(uri), attempts.made(), attempts.elapsed().toNanos() / 1e9,
                settings.fetchSetting("retry.attempts"),
                policy.maxAttempts(), settings.fetchSetting("retry.max-total"), policy.maxTotal().toMillis(),
                last.problem()), last.cause());
    }

    private ImageRejectedException tooLarge(URI uri) {
        return new ImageRejectedException(RejectReason.TOO_LARGE,
                "image uri " + UriRedaction.redact(uri) + " is over the "
                        + settings.maxBytes() + "-byte limit (" + settings.maxBytesSetting()
                        + "): send a smaller image");
    }

    private static ImageRejectedException failed(String message, Throwable cause) {
        return new ImageRejectedException(RejectReason.FETCH_FAILED, message, cause);
    }

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no default TLS context", e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
