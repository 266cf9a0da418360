package dev.aidetect.embedder;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Serves the repository's tiny encoder (manifest.json and encoder.pt) over plain http on a free local port and points
 * the embedder at that URL, with a fresh model cache under {@code target/}, so a test sees the service download it;
 * the same encoder, named by its local model file, runs beside it.
 */
public class ModelServerTestResource implements QuarkusTestResourceLifecycleManager {

    /** The cache directory the embedder is given, emptied at start so that the service must download. */
    public static final Path CACHE = Path.of("target", "it-model-cache").toAbsolutePath();

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        Path tiny = Path.of(System.getProperty("aidetect.project.root"), "deploy/models/tiny-clip-vit");
        try (Stream<Path> old = Files.exists(CACHE) ? Files.walk(CACHE) : Stream.empty()) {
            for (Path path : old.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/tiny/", exchange -> {
            Path file = tiny.resolve(Path.of(exchange.getRequestURI().getPath()).getFileName().toString());
            byte[] body = Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (body != null) {
                    out.write(body);
                }
            }
        });
        server.start();
        return PackagedEmbedder.settings(Map.of("aidetect.embedder.encoder-manifest",
                "http://127.0.0.1:" + server.getAddress().getPort() + "/tiny/manifest.json",
                "aidetect.embedder.model-allow-plain-http", "true",
                "aidetect.embedder.model-cache", CACHE.toString(),
                "aidetect.embedder.device", "cpu",
                "aidetect.embedder.encoders", tiny.resolve("encoder.pt").toString()));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
