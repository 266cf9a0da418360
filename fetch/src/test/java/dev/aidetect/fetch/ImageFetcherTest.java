package dev.aidetect.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import javax.net.ssl.SSLContext;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.aidetect.imaging.decode.ImageRejectedException;
import dev.aidetect.schemas.RejectReason;

class ImageFetcherTest {

    /** Stands for an image: the fetcher never decodes what it fetches, so any bytes do (these start as a JPEG does). */
    static final byte[] IMAGE = image(1200);
    /** TEST-NET-1 (RFC 5737): routed nowhere, and public to {@link #LOOPBACK_ONLY}. */
    private static final InetAddress PUBLIC = address(192, 0, 2, 1);
    /** An address policy for which only loopback is internal, so that PUBLIC can stand for a public host. */
    private static final Predicate<InetAddress> LOOPBACK_ONLY = InetAddress::isLoopbackAddress;
    private static final InetAddress LOOPBACK = address(127, 0, 0, 1);
    /** Loopback too, but no test server listens there. */
    private static final InetAddress OTHER_LOOPBACK = address(127, 0, 0, 2);

    /** The fetch settings as a record, so each test states its own; the byte limit comes with the fetcher. */
    record Settings(Optional<List<String>> allowedHosts, Optional<Path> fileRoot, Duration timeout,
            boolean allowPrivateAddresses, boolean allowPlainHttp) {
        /** As the embedder names them, with the limit of {@code maxBytes}. */
        FetchSettings withMaxBytes(long maxBytes) {
            return new FetchSettings(allowedHosts.orElse(List.of()), fileRoot, timeout, allowPrivateAddresses,
                    allowPlainHttp, maxBytes, "aidetect.embedder");
        }
    }

    private HttpServer server;
    private String base;
    private int port;
    private final List<String> hostHeaders = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        server.createContext("/image.jpg", exchange -> {
            hostHeaders.add(exchange.getRequestHeaders().getFirst("Host"));
            respond(exchange, 200, IMAGE);
        });
        server.createContext("/big", exchange -> respond(exchange, 200, new byte[4096]));
        server.createContext("/chunked", exchange -> respondChunked(exchange, IMAGE));
        server.createContext("/big-chunked", exchange -> respondChunked(exchange, new byte[4096]));
        server.createContext("/missing", exchange -> respond(exchange, 404, new byte[0]));
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", base + "/image.jpg");
            respond(exchange, 302, new byte[0]);
        });
        server.createContext("/slow", exchange -> {
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, IMAGE);
        });
        server.start();
        port = server.getAddress().getPort();
        base = "http://127.0.0.1:" + port;
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void fetchesImageFromAllowedHostWhenInternalAddressesAreAllowed() throws Exception {
        assertThat(fetcher(true, true).fetch(base + "/image.jpg")).isEqualTo(IMAGE);
    }

    @Test
    void refusesHostNotOnTheAllowList() {
        assertFetchFails(fetcher(true, true), "http://example.org/a.jpg").hasMessageContaining("allowed-hosts");
    }

    @Test
    void refusesAllowedHostResolvingToPrivateAddress() {
        assertFetchFails(fetcher(false, true), base + "/image.jpg").hasMessageContaining("internal address");
    }

    @Test
    void refusesHostWhenAnyOfItsAddressesIsInternal() {
        ImageFetcher fetcher = named(false, Duration.ofSeconds(5), host -> new InetAddress[]{PUBLIC, LOOPBACK});

        assertFetchFails(fetcher, "http://images.test:" + port + "/image.jpg")
                .hasMessageContaining("internal address 127.0.0.1");
    }

    @Test
    void refusesLoopbackHiddenInAnIpv4MappedIpv6Address() throws Exception {
        InetAddress mapped = Inet6Address.getByAddress(null,
                new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 127, 0, 0, 1}, -1);
        ImageFetcher fetcher = new ImageFetcher(namedSettings(false, Duration.ofSeconds(5)).withMaxBytes(1 << 20),
                host -> new InetAddress[]{mapped}, AddressPolicy::isInternal, defaultTls());

        assertFetchFails(fetcher, "http://images.test:" + port + "/image.jpg")
                .hasMessageContaining("IPv4-mapped ::ffff:0:0/96 carrying loopback 127.0.0.0/8");
        assertThat(hostHeaders).isEmpty();
    }

    /** DNS rebinding: a check that looks the name up and a client that looks it up again can see different answers. */
    @Test
    void neverConnectsToAnInternalAddressThatDnsAnswersAfterTheCheck() throws Exception {
        // given: DNS answers a public address first and loopback, where a server counts connections, ever after
        AtomicInteger lookups = new AtomicInteger();
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket local = new ServerSocket(0, 50, LOOPBACK)) {
            Thread.ofVirtual().start(() -> countConnections(local, connections));
            ImageFetcher fetcher = named(false, Duration.ofMillis(500),
                    host -> new InetAddress[]{lookups.getAndIncrement() == 0 ? PUBLIC : LOOPBACK});

            // when
            assertFetchFails(fetcher, "http://images.test:" + local.getLocalPort() + "/image.jpg")
                    .hasMessageNotContaining("internal address");

            // then
            assertThat(connections).hasValue(0);
            assertThat(lookups).hasValue(1);
        }
    }

    @Test
    void fetchesFromTheAddressItResolvedNamingTheHostInTheRequest() throws Exception {
        // given: the first answer is the test server, later ones an address where nothing listens
        AtomicInteger lookups = new AtomicInteger();
        ImageFetcher fetcher = named(true, Duration.ofSeconds(5),
                host -> new InetAddress[]{lookups.getAndIncrement() == 0 ? LOOPBACK : OTHER_LOOPBACK});

        // when
        byte[] image = fetcher.fetch("http://images.test:" + port + "/image.jpg");

        // then
        assertThat(image).isEqualTo(IMAGE);
        assertThat(lookups).hasValue(1);
        assertThat(hostHeaders).containsExactly("images.test:" + port);
    }

    @Test
    void readsChunkedBodiesWithinTheByteLimit() throws Exception {
        ImageFetcher small = new ImageFetcher(
                settings(true, true, Optional.empty(), Duration.ofSeconds(5)).withMaxBytes(1000));

        assertThat(fetcher(true, true).fetch(base + "/chunked")).isEqualTo(IMAGE);
        assertThatThrownBy(() -> small.fetch(base + "/big-chunked")).isInstanceOf(ImageRejectedException.class)
                .extracting(e -> ((ImageRejectedException) e).reason()).isEqualTo(RejectReason.TOO_LARGE);
    }

    @Test
    void refusesPlainHttpUnlessConfigured() {
        assertFetchFails(fetcher(true, false), base + "/image.jpg").hasMessageContaining("plain http");
    }

    @Test
    void refusesOtherSchemes() {
        assertFetchFails(fetcher(true, true), "ftp://127.0.0.1/a.jpg").hasMessageContaining("only https: and file:");
    }

    @Test
    void refusesCredentialsBeforeTheHostAndShowsNoSecretInAnyMessage() {
        String withUser = base.replace("://", "://alice:s3cret@") + "/image.jpg";
        assertFetchFails(fetcher(true, true), withUser).hasMessageContaining("carries credentials")
                .hasMessageNotContaining("s3cret").hasMessageNotContaining("alice");
        assertFetchFails(fetcher(true, true), base + "/missing?X-Amz-Signature=s3cret")
                .hasMessageContaining("HTTP 404").hasMessageNotContaining("s3cret");
        assertFetchFails(fetcher(true, true), "https://10.1.2.3/a.jpg?token=s3cret").hasMessageNotContaining("s3cret");
        assertFetchFails(fetcher(true, true), "https://bad host/a.jpg?token=s3cret").hasMessageNotContaining("s3cret");
    }

    @Test
    void reportsHttpErrorsAndDoesNotFollowRedirects() {
        assertFetchFails(fetcher(true, true), base + "/missing").hasMessageContaining("HTTP 404");
        assertFetchFails(fetcher(true, true), base + "/moved").hasMessageContaining("HTTP 302");
    }

    @Test
    void rejectsBodyOverMaxBytesAsTooLarge() {
        ImageFetcher small = new ImageFetcher(
                settings(true, true, Optional.empty(), Duration.ofSeconds(5)).withMaxBytes(1000));

        assertThatThrownBy(() -> small.fetch(base + "/big")).isInstanceOf(ImageRejectedException.class)
                .extracting(e -> ((ImageRejectedException) e).reason()).isEqualTo(RejectReason.TOO_LARGE);
    }

    @Test
    void givesUpOnSlowServerAfterTheTimeout() {
        ImageFetcher impatient = new ImageFetcher(
                settings(true, true, Optional.empty(), Duration.ofMillis(300)).withMaxBytes(1 << 20));

        assertFetchFails(impatient, base + "/slow").hasMessageContaining("timed out in the response headers");
    }

    @Test
    void readsFileUrisOnlyUnderTheFileRoot(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("images"));
        Path inside = Files.write(root.resolve("a.jpg"), IMAGE);
        Path outside = Files.write(dir.resolve("secret.jpg"), IMAGE);
        ImageFetcher files = new ImageFetcher(
                settings(false, false, Optional.of(root), Duration.ofSeconds(5)).withMaxBytes(1 << 20));

        assertThat(files.fetch(inside.toUri().toString())).isEqualTo(IMAGE);
        assertFetchFails(files, outside.toUri().toString()).hasMessageContaining("file-root");
        assertFetchFails(fetcher(true, true), inside.toUri().toString()).hasMessageContaining("no aidetect.embedder");
    }

    private ImageFetcher fetcher(boolean allowPrivate, boolean allowHttp) {
        return new ImageFetcher(
                settings(allowPrivate, allowHttp, Optional.empty(), Duration.ofSeconds(5)).withMaxBytes(1 << 20));
    }

    /** A fetcher for http://images.test, whose addresses {@code dns} gives. */
    private static ImageFetcher named(boolean allowPrivate, Duration timeout, HostLookup.HostResolver dns) {
        return new ImageFetcher(namedSettings(allowPrivate, timeout).withMaxBytes(1 << 20), dns, LOOPBACK_ONLY,
                defaultTls());
    }

    /** Settings for http://images.test. */
    static Settings namedSettings(boolean allowPrivate, Duration timeout) {
        return new Settings(Optional.of(List.of("images.test")), Optional.empty(), timeout, allowPrivate, true);
    }

    private static Settings settings(boolean allowPrivate, boolean allowHttp, Optional<Path> root, Duration timeout) {
        return new Settings(Optional.of(List.of("127.0.0.1")), root, timeout, allowPrivate, allowHttp);
    }

    /** The JDK's default trust, as the fetcher uses in service. */
    static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static AbstractThrowableAssert<?, ? extends Throwable> assertFetchFails(ImageFetcher fetcher, String uri) {
        return assertThatThrownBy(() -> fetcher.fetch(uri)).isInstanceOf(ImageRejectedException.class)
                .satisfies(e -> assertThat(((ImageRejectedException) e).reason()).isEqualTo(RejectReason.FETCH_FAILED));
    }

    static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Length 0 makes the JDK server send the body chunked. */
    private static void respondChunked(HttpExchange exchange, byte[] body) throws IOException {
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body, 0, body.length / 2);
            out.flush();
            out.write(body, body.length / 2, body.length - body.length / 2);
        }
    }

    private static void countConnections(ServerSocket server, AtomicInteger connections) {
        while (!server.isClosed()) {
            try (Socket ignored = server.accept()) {
                connections.incrementAndGet();
            } catch (IOException e) {
                return; // closed at the end of the test
            }
        }
    }

    private static byte[] image(int length) {
        byte[] image = new byte[length];
        for (int i = 0; i < length; i++) {
            image[i] = (byte) (i * 31 + 7);
        }
        image[0] = (byte) 0xFF;
        image[1] = (byte) 0xD8;
        image[2] = (byte) 0xFF;
        return image;
    }

    static InetAddress address(int... bytes) {
        byte[] address = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            address[i] = (byte) bytes[i];
        }
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
