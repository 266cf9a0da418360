package dev.aidetect.tools.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The object store of a platform that submits by uri, on this machine: a plain HTTP server on
 * {@value #HOST} serving the benchmark images at {@code /images/<kind>/<name>}. The services are told to fetch from it
 * ({@link #serviceEnv}), which their SSRF guard otherwise refuses (a loopback address, plain http).
 */
final class ImageStore implements AutoCloseable {
    static final String HOST = "127.0.0.1";

    private final HttpServer server;
    private final Map<String, PipelineImages.Image> byPath = new HashMap<>();

    private ImageStore(HttpServer server) {
        this.server = server;
    }

    static ImageStore serve(PipelineImages.Sets sets) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(HOST), 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            ImageStore store = new ImageStore(server);
            for (List<PipelineImages.Image> set : List.of(sets.small(), sets.phone())) {
                set.forEach(image -> store.byPath.put(pathOf(image), image));
            }
            server.createContext("/images/", store::answer);
            server.start();
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local image store for --uri-share on " + HOST + ": "
                    + e.getMessage() + "; run with --uri-share 0", e);
        }
    }

    /** Where the image is served. */
    String uriOf(PipelineImages.Image image) {
        return "http://" + HOST + ":" + server.getAddress().getPort() + pathOf(image);
    }

    /** What a service needs to fetch from here: the embedder's fetch settings, and the classifier's alike. */
    static Map<String, String> serviceEnv(String prefix) {
        return Map.of(prefix + "_FETCH_ALLOWED_HOSTS", HOST, prefix + "_FETCH_ALLOW_PLAIN_HTTP", "true",
                prefix + "_FETCH_ALLOW_PRIVATE_ADDRESSES", "true");
    }

    private static String pathOf(PipelineImages.Image image) {
        return "/images/" + (image.phone() ? "phone/" : "small/")
                + URLEncoder.encode(image.name(), StandardCharsets.UTF_8);
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            PipelineImages.Image image = byPath.get(exchange.getRequestURI().getRawPath());
            if (image == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", image.contentType());
            exchange.sendResponseHeaders(200, image.bytes().length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(image.bytes());
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
