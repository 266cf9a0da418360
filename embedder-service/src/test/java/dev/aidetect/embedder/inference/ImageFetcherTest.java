package dev.aidetect.embedder.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import dev.aidetect.embedder.TestSubmissions;
import dev.aidetect.embedder.config.EmbedderConfig;
import dev.aidetect.imaging.ImageRejectedException;
import dev.aidetect.schemas.RejectReason;

class ImageFetcherTest {

    private static final byte[] IMAGE = TestSubmissions.jpeg(40, 30);

    /** The fetch settings as a record, so each test states its own. */
    record Settings(Optional<List<String>> allowedHosts, Optional<Path> fileRoot, Duration timeout,
            boolean allowPrivateAddresses, boolean allowPlainHttp) implements EmbedderConfig.Fetch {
    }

    private HttpServer server;
    private String base;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/image.jpg", exchange -> respond(exchange, 200, IMAGE));
        server.createContext("/big", exchange -> respond(exchange, 200, new byte[4096]));
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
        base = "http://127.0.0.1:" + server.getAddress().getPort();
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
    void refusesPlainHttpUnlessConfigured() {
        assertFetchFails(fetcher(true, false), base + "/image.jpg").hasMessageContaining("plain http");
    }

    @Test
    void refusesOtherSchemes() {
        assertFetchFails(fetcher(true, true), "ftp://127.0.0.1/a.jpg").hasMessageContaining("only https: and file:");
    }

    @Test
    void reportsHttpErrorsAndDoesNotFollowRedirects() {
        assertFetchFails(fetcher(true, true), base + "/missing").hasMessageContaining("HTTP 404");
        assertFetchFails(fetcher(true, true), base + "/moved").hasMessageContaining("HTTP 302");
    }

    @Test
    void rejectsBodyOverMaxBytesAsTooLarge() {
        ImageFetcher small = new ImageFetcher(settings(true, true, Optional.empty(), Duration.ofSeconds(5)), 1000);

        assertThatThrownBy(() -> small.fetch(base + "/big")).isInstanceOf(ImageRejectedException.class)
                .extracting(e -> ((ImageRejectedException) e).reason()).isEqualTo(RejectReason.TOO_LARGE);
    }

    @Test
    void givesUpOnSlowServerAfterTheTimeout() {
        ImageFetcher impatient = new ImageFetcher(settings(true, true, Optional.empty(), Duration.ofMillis(300)),
                1 << 20);

        assertFetchFails(impatient, base + "/slow").hasMessageContaining("timed out");
    }

    @Test
    void readsFileUrisOnlyUnderTheFileRoot(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("images"));
        Path inside = Files.write(root.resolve("a.jpg"), IMAGE);
        Path outside = Files.write(dir.resolve("secret.jpg"), IMAGE);
        ImageFetcher files = new ImageFetcher(settings(false, false, Optional.of(root), Duration.ofSeconds(5)),
                1 << 20);

        assertThat(files.fetch(inside.toUri().toString())).isEqualTo(IMAGE);
        assertFetchFails(files, outside.toUri().toString()).hasMessageContaining("file-root");
        assertFetchFails(fetcher(true, true), inside.toUri().toString()).hasMessageContaining("no aidetect.embedder");
    }

    private ImageFetcher fetcher(boolean allowPrivate, boolean allowHttp) {
        return new ImageFetcher(settings(allowPrivate, allowHttp, Optional.empty(), Duration.ofSeconds(5)), 1 << 20);
    }

    private static Settings settings(boolean allowPrivate, boolean allowHttp, Optional<Path> root, Duration timeout) {
        return new Settings(Optional.of(List.of("127.0.0.1")), root, timeout, allowPrivate, allowHttp);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertFetchFails(ImageFetcher fetcher, String uri) {
        return assertThatThrownBy(() -> fetcher.fetch(uri)).isInstanceOf(ImageRejectedException.class)
                .satisfies(e -> assertThat(((ImageRejectedException) e).reason()).isEqualTo(RejectReason.FETCH_FAILED));
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, byte[] body)
            throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
