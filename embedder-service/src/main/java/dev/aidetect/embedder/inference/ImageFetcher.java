package dev.aidetect.embedder.inference;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLSocketFactory;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.aidetect.embedder.config.EmbedderConfig;
import dev.aidetect.imaging.ImageRejectedException;
import dev.aidetect.schemas.RejectReason;

/**
 * Fetches the bytes an {@code image.uri} names: {@code https:} from allow-listed hosts that do not resolve to private
 * addresses (unless configured), connecting to the very addresses checked ({@link PinnedHttpClient}), {@code file:}
 * under a configured root; capped at {@code max-bytes} and the fetch timeout, redirects not followed. Every refusal is
 * FETCH_FAILED (TOO_LARGE for size) with the setting to change.
 */
@ApplicationScoped
public class ImageFetcher {

    private static final String SETTINGS = "aidetect.embedder.fetch";

    private final EmbedderConfig.Fetch settings;
    private final long maxBytes;
    private final List<String> hosts;
    private final HostResolver resolver;
    private final PinnedHttpClient http;

    /** How host names become addresses: the system resolver in service, a scripted one in tests. */
    @FunctionalInterface
    interface HostResolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    @Inject
    public ImageFetcher(EmbedderConfig config) {
        this(config.fetch(), config.maxBytes());
    }

    public ImageFetcher(EmbedderConfig.Fetch settings, long maxBytes) {
        this(settings, maxBytes, InetAddress::getAllByName, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    ImageFetcher(EmbedderConfig.Fetch settings, long maxBytes, HostResolver resolver, SSLSocketFactory tls) {
        this.settings = settings;
        this.maxBytes = maxBytes;
        this.hosts = settings.allowedHosts().orElse(List.of()).stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        this.resolver = resolver;
        this.http = new PinnedHttpClient(tls);
    }

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
        List<InetAddress> addresses = checkedAddresses(uri, host);
        HttpResponseReader.Response response;
        try {
            response = http.get(uri, addresses, System.nanoTime() + settings.timeout().toNanos(), maxBytes);
        } catch (SocketTimeoutException e) {
            throw failed("image uri " + uri + " timed out after " + settings.timeout().toMillis() + " ms ("
                    + SETTINGS + ".timeout)", e);
        } catch (HttpResponseReader.TooLargeException e) {
            throw tooLarge(uri);
        } catch (IOException e) {
            throw failed("image uri " + uri + " could not be fetched from " + addresses + " (" + e + ")", e);
        }
        if (response.status() != 200) {
            throw failed("image uri " + uri + " answered HTTP " + response.status()
                    + " (redirects are not followed): give the final URL of the image", null);
        }
        return response.body();
    }

    /**
     * Resolves the host once and refuses it if any address is internal; the fetch then connects to exactly these
     * addresses, so a second DNS answer (rebinding) never reaches a socket.
     */
    private List<InetAddress> checkedAddresses(URI uri, String host) throws ImageRejectedException {
        List<InetAddress> addresses;
        try {
            addresses = List.of(resolver.resolve(host));
        } catch (UnknownHostException e) {
            throw failed("image uri " + uri + " names unknown host '" + host + "'", e);
        }
        for (InetAddress address : addresses) {
            if (!settings.allowPrivateAddresses() && isInternal(address)) {
                throw failed("image uri " + uri + " resolves to internal address " + address.getHostAddress()
                        + ": refused unless " + SETTINGS + ".allow-private-addresses=true", null);
            }
        }
        return addresses;
    }

    static boolean isInternal(InetAddress address) {
        byte[] b = address.getAddress();
        boolean uniqueLocalV6 = address instanceof Inet6Address && (b[0] & 0xFE) == 0xFC;
        boolean carrierGradeNat = b.length == 4 && (b[0] & 0xFF) == 100 && (b[1] & 0xC0) == 64;
        return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress() || uniqueLocalV6 || carrierGradeNat;
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
