package dev.aidetect.embedder.inference;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

import javax.net.ssl.SSLSocketFactory;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.aidetect.embedder.config.EmbedderConfig;
import dev.aidetect.embedding.UriFetcher;
import dev.aidetect.imaging.decode.ImageRejectedException;
import dev.aidetect.schemas.RejectReason;

/**
 * Fetches the bytes an {@code image.uri} names: {@code https:} from allow-listed hosts that do not resolve to internal
 * addresses ({@link AddressPolicy}; unless configured), connecting to the very addresses checked
 * ({@link PinnedHttpClient}), {@code file:} under a configured root; capped at {@code max-bytes}, redirects not
 * followed, and all of it (DNS lookup, connect, TLS handshake, response) within the fetch timeout
 * ({@link FetchDeadline}). Every refusal is FETCH_FAILED (TOO_LARGE for size) with the setting to change.
 */
@ApplicationScoped
public class ImageFetcher implements UriFetcher {

    private static final String SETTINGS = "aidetect.embedder.fetch";

    private final EmbedderConfig.Fetch settings;
    private final long maxBytes;
    private final List<String> hosts;
    private final HostLookup dns;
    private final Predicate<InetAddress> internal;
    private final PinnedHttpClient http;

    @Inject
    public ImageFetcher(EmbedderConfig config) {
        this(config.fetch(), config.maxBytes());
    }

    public ImageFetcher(EmbedderConfig.Fetch settings, long maxBytes) {
        this(settings, maxBytes, InetAddress::getAllByName, AddressPolicy::isInternal,
                (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    /** With the lookup, the address policy and TLS given (tests script them). */
    ImageFetcher(EmbedderConfig.Fetch settings, long maxBytes, HostLookup.HostResolver resolver,
            Predicate<InetAddress> internal, SSLSocketFactory tls) {
        this.settings = settings;
        this.maxBytes = maxBytes;
        this.hosts = settings.allowedHosts().orElse(List.of()).stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        this.dns = new HostLookup(resolver);
        this.internal = internal;
        this.http = new PinnedHttpClient(tls);
    }

    @Override
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
                    throw failed("image uri " + uri + " uses plain http: use https (or set " + SETTINGS
                            + ".allow-plain-http for a trusted internal store)", null);
                }
                yield download(uri);
            }
            default -> throw failed("image uri " + uri + " has scheme '" + scheme + "': only https: and file: are "
                    + "fetched; send other images inline in image.content", null);
        };
    }

    private byte[] readFile(URI uri) throws ImageRejectedException {
        if (settings.fileRoot().isEmpty()) {
            throw failed("image uri " + uri + " is a file: URI but no " + SETTINGS + ".file-root is configured", null);
        }
        try {
            Path root = settings.fileRoot().get().toRealPath();
            Path file = Path.of(uri).toRealPath();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                throw failed("image uri " + uri + " is not a file under " + root + " (" + SETTINGS + ".file-root)",
                        null);
            }
            checkSize(uri, Files.size(file));
            return Files.readAllBytes(file);
        } catch (IOException | IllegalArgumentException e) {
            throw failed("image uri " + uri + " could not be read (" + e + "): check that the file exists", e);
        }
    }

    private byte[] download(URI uri) throws ImageRejectedException {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (!hosts.contains(host)) {
            throw failed("image uri " + uri + " names host '" + host + "', which is not in " + SETTINGS
                    + ".allowed-hosts " + hosts + ": add it there or send the bytes inline", null);
        }
        HttpResponseReader.Response response;
        try (FetchDeadline deadline = new FetchDeadline(settings.timeout())) {
            List<InetAddress> addresses = checkedAddresses(uri, host, deadline);
            response = get(uri, addresses, deadline);
        } catch (FetchDeadline.ExpiredException e) {
            throw failed("image uri " + uri + " " + e.getMessage() + ": the whole fetch (DNS lookup, connect, TLS "
                    + "handshake, response) must end within " + SETTINGS + ".timeout (" + settings.timeout().toMillis()
                    + " ms): raise it for slow hosts", e);
        }
        if (response.status() != 200) {
            throw failed("image uri " + uri + " answered HTTP " + response.status()
                    + " (redirects are not followed): give the final URL of the image", null);
        }
        return response.body();
    }

    private HttpResponseReader.Response get(URI uri, List<InetAddress> addresses, FetchDeadline deadline)
            throws ImageRejectedException, FetchDeadline.ExpiredException {
        try {
            return http.get(uri, addresses, deadline, maxBytes);
        } catch (FetchDeadline.ExpiredException e) {
            throw e;
        } catch (HttpResponseReader.TooLargeException e) {
            throw tooLarge(uri);
        } catch (IOException e) {
            throw failed("image uri " + uri + " could not be fetched from " + addresses + " (" + e + ")", e);
        }
    }

    /**
     * Resolves the host once and refuses it if any address is internal; the fetch then connects to exactly these
     * addresses, so a second DNS answer (rebinding) never reaches a socket.
     */
    private List<InetAddress> checkedAddresses(URI uri, String host, FetchDeadline deadline)
            throws ImageRejectedException, FetchDeadline.ExpiredException {
        List<InetAddress> addresses;
        try {
            addresses = dns.resolve(host, deadline);
        } catch (FetchDeadline.ExpiredException e) {
            throw e;
        } catch (UnknownHostException e) {
            throw failed("image uri " + uri + " names unknown host '" + host + "'", e);
        } catch (IOException e) {
            throw failed("image uri " + uri + ": host '" + host + "' could not be looked up (" + e.getMessage() + ")",
                    e);
        }
        for (InetAddress address : addresses) {
            if (!settings.allowPrivateAddresses() && internal.test(address)) {
                throw failed("image uri " + uri + " resolves to internal address " + address.getHostAddress() + " ("
                        + AddressPolicy.internalRange(address).orElse("refused by policy") + "): refused unless "
                        + SETTINGS + ".allow-private-addresses=true", null);
            }
        }
        return addresses;
    }

    private void checkSize(URI uri, long size) throws ImageRejectedException {
        if (size > maxBytes) {
            throw tooLarge(uri);
        }
    }

    private ImageRejectedException tooLarge(URI uri) {
        return new ImageRejectedException(RejectReason.TOO_LARGE, "image uri " + uri + " is over the " + maxBytes
                + "-byte limit (aidetect.embedder.max-bytes): send a smaller image");
    }

    private static ImageRejectedException failed(String message, Throwable cause) {
        return new ImageRejectedException(RejectReason.FETCH_FAILED, message, cause);
    }
}
