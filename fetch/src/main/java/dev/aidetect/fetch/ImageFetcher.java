package dev.aidetect.fetch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.function.Predicate;

import javax.net.ssl.SSLContext;

import dev.aidetect.imaging.decode.ImageRejectedException;
import dev.aidetect.schemas.RejectReason;

/**
 * Fetches the bytes an {@code image.uri} names: {@code https:} from allow-listed hosts that do not resolve to internal
 * addresses ({@link AddressPolicy}; unless configured), connecting to the very addresses checked
 * ({@link VettingDnsResolver}), {@code file:} under a configured root; capped at max-bytes, redirects not followed, and
 * all of it (DNS lookup, connect, TLS handshake, response) within the fetch timeout ({@link FetchDeadline}). HTTP is
 * Apache HttpClient's ({@link GuardedHttpClient}). Every refusal is FETCH_FAILED (TOO_LARGE for size) naming the
 * setting to change. Safe for concurrent use; {@link #close()} releases the kept connections.
 */
public final class ImageFetcher implements AutoCloseable {

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

    /** @throws ImageRejectedException FETCH_FAILED or TOO_LARGE, with what to change */
    public byte[] fetch(String uriText) throws ImageRejectedException {
        URI uri;
        try {
            uri = new URI(uriText);
        } catch (URISyntaxException e) {
            throw failed("image uri '" + uriText + "' is not a valid URI (" + e.getMessage() + ")", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "file" -> readFile(uri);
            case "https" -> download(uri);
            case "http" -> {
                if (!settings.allowPlainHttp()) {
                    throw failed("image uri " + uri + " uses plain http: use https (or set "
                            + settings.fetchSetting("allow-plain-http") + " for a trusted internal store)", null);
                }
                yield download(uri);
            }
            default -> throw failed("image uri " + uri + " has scheme '" + scheme + "': only https: and file: are "
                    + "fetched; send other images inline in image.content", null);
        };
    }

    private byte[] readFile(URI uri) throws ImageRejectedException {
        if (settings.fileRoot().isEmpty()) {
            throw failed("image uri " + uri + " is a file: URI but no " + settings.fetchSetting("file-root")
                    + " is configured", null);
        }
        try {
            Path root = settings.fileRoot().get().toRealPath();
            Path file = Path.of(uri).toRealPath();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                throw failed("image uri " + uri + " is not a file under " + root + " ("
                        + settings.fetchSetting("file-root") + ")", null);
            }
            if (Files.size(file) > settings.maxBytes()) {
                throw tooLarge(uri);
            }
            return Files.readAllBytes(file);
        } catch (IOException | IllegalArgumentException e) {
            throw failed("image uri " + uri + " could not be read (" + e + "): check that the file exists", e);
        }
    }

    private byte[] download(URI uri) throws ImageRejectedException {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (!settings.allowedHosts().contains(host)) {
            throw failed("image uri " + uri + " names host '" + host + "', which is not in "
                    + settings.fetchSetting("allowed-hosts") + " " + settings.allowedHosts()
                    + ": add it there or send the bytes inline", null);
        }
        GuardedHttpClient.Response response;
        try (FetchDeadline deadline = new FetchDeadline(settings.timeout())) {
            response = http.get(uri, deadline, settings.maxBytes());
        } catch (FetchDeadline.ExpiredException e) {
            throw failed("image uri " + uri + " " + e.getMessage() + ": the whole fetch (DNS lookup, connect, TLS "
                    + "handshake, response) must end within " + settings.fetchSetting("timeout") + " ("
                    + settings.timeout().toMillis() + " ms): raise it for slow hosts", e);
        } catch (GuardedHttpClient.TooLargeException e) {
            throw tooLarge(uri);
        } catch (VettingDnsResolver.RefusedHostException e) {
            throw failed("image uri " + uri + " " + e.getMessage(), e);
        } catch (UnknownHostException e) {
            throw failed("image uri " + uri + " names unknown host '" + host + "'", e);
        } catch (IOException e) {
            throw failed("image uri " + uri + " could not be fetched (" + e + ")", e);
        }
        if (response.status() != 200) {
            throw failed("image uri " + uri + " answered HTTP " + response.status()
                    + " (redirects are not followed): give the final URL of the image", null);
        }
        return response.body();
    }

    private ImageRejectedException tooLarge(URI uri) {
        return new ImageRejectedException(RejectReason.TOO_LARGE, "image uri " + uri + " is over the "
                + settings.maxBytes() + "-byte limit (" + settings.maxBytesSetting() + "): send a smaller image");
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
