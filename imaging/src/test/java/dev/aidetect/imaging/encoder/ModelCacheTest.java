package dev.aidetect.imaging.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import dev.aidetect.imaging.fixtures.TestImages;

/** Remote encoders: downloaded once over HTTP into the cache, verified, and loaded from there with the server gone. */
class ModelCacheTest {

    @TempDir
    Path cacheDir;

    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void downloadsOnceThenLoadsTheCachedCopyWithTheServerGone() throws Exception {
        String url = serveTinyEncoder(tinyEncoderFiles()) + "/tiny/manifest.json";
        EncoderLoader loader = loader(true);

        try (ImageEncoder encoder = loader.load(url)) {
            assertThat(encoder.id()).isEqualTo("tiny-clip-vit");
            assertThat(encoder.embed(new float[encoder.preprocessor().floatsPerImage()], 1)[0]).hasSize(64);
        }
        assertThat(requests).as("manifest and encoder.pt").hasValue(2);
        server.stop(0);
        server = null;

        try (ImageEncoder cached = loader.load(url)) {
            assertThat(cached.id()).isEqualTo("tiny-clip-vit");
        }
        assertThat(requests).as("no request for the cached copy").hasValue(2);
        assertThat(cacheDir.resolve("127.0.0.1_" + port(url) + "/tiny/encoder.pt")).isRegularFile();
    }

    @Test
    void refusesAndCachesNothingWhenTheDownloadedModelHasAnotherChecksum() throws Exception {
        Map<String, byte[]> files = tinyEncoderFiles();
        files.get("encoder.pt")[1000] ^= 1;
        String url = serveTinyEncoder(files) + "/tiny/manifest.json";

        assertThatThrownBy(() -> loader(true).load(url))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("/tiny/encoder.pt has sha256")
                .hasMessageContaining("nothing was cached");
        try (Stream<Path> left = Files.walk(cacheDir)) {
            assertThat(left.filter(Files::isRegularFile)).as("no partial or unverified file").isEmpty();
        }
    }

    @Test
    void namesTheModelAndTheCachePathWhenTheServerIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort + "/clip/manifest.json";

        assertThatThrownBy(() -> loader(true).load(url))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("cannot download encoder " + url)
                .hasMessageContaining("Without network access")
                .hasMessageContaining(cacheDir.resolve("127.0.0.1_" + closedPort + "/clip").toString())
                .hasMessageContaining("or point the encoder setting at a local manifest.json");
    }

    @Test
    void refusesAManifestWhoseModelFileWouldLandOutsideTheCache() throws Exception {
        Map<String, byte[]> files = new HashMap<>(tinyEncoderFiles());
        files.put("manifest.json", new String(files.get("manifest.json"), StandardCharsets.UTF_8)
                .replace("\"file\": \"encoder.pt\"", "\"file\": \"../../escape.pt\"").getBytes(StandardCharsets.UTF_8));
        String url = serveTinyEncoder(files) + "/tiny/manifest.json";

        assertThatThrownBy(() -> loader(true).load(url))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("names the path '../../escape.pt', which could leave the model cache");
    }

    @Test
    void refusesPlainHttpUnlessAllowed() {
        assertThatThrownBy(() -> loader(false).load("http://models.example.com/clip/manifest.json"))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("only https: is downloaded");
    }

    private EncoderLoader loader(boolean allowPlainHttp) {
        return new EncoderLoader(new ModelCache(cacheDir, allowPlainHttp, Duration.ofSeconds(5)), EncoderDevice.AUTO,
                EncoderPrecision.FLOAT32);
    }

    private static Map<String, byte[]> tinyEncoderFiles() throws IOException {
        Path manifest = TestImages.tinyEncoderManifest();
        return Map.of("manifest.json", Files.readAllBytes(manifest), "encoder.pt",
                Files.readAllBytes(manifest.resolveSibling("encoder.pt")));
    }

    /** Serves the files under /tiny/ on a free local port; returns the base URL. */
    private String serveTinyEncoder(Map<String, byte[]> files) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/tiny/", exchange -> {
            requests.incrementAndGet();
            byte[] body = files.get(exchange.getRequestURI().getPath().substring("/tiny/".length()));
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (body != null) {
                    out.write(body);
                }
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static int port(String url) {
        return Integer.parseInt(url.replaceAll("http://127.0.0.1:(\\d+)/.*", "$1"));
    }
}
