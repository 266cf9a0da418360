package dev.aidetect.imaging.encoder;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Downloads a remote encoder (its {@code manifest.json} and the model files it names) once into a local cache
 * directory and serves later loads from there without any request, so a cached encoder loads with the network off.
 * Files are written to a temporary name and moved into place only when complete and matching the manifest's SHA-256;
 * the manifest is moved last, so its presence marks a complete entry.
 *
 * <p>
 * Only {@code https:} is fetched, plus {@code http:} when explicitly allowed (tests, trusted internal stores).
 */
public final class ModelCache {

    private static final System.Logger LOG = System.getLogger(ModelCache.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final long MAX_MANIFEST_BYTES = 1 << 20;

    /** The manifest fields the cache needs before the full manifest can be read from disk. */
    private record ModelFiles(String file, String sha256, String fp16File, String fp16Sha256, String bf16File,
            String bf16Sha256) {

        /** Each model file to download with its expected SHA-256 (lower case); half exports only when named. */
        Map<String, String> checksums(URI manifestUri) throws EncoderLoadException {
            Map<String, String> checksums = new LinkedHashMap<>();
            checksums.put(file, sha256);
            if (fp16File != null) {
                checksums.put(fp16File, fp16Sha256);
            }
            if (bf16File != null) {
                checksums.put(bf16File, bf16Sha256);
            }
            for (Map.Entry<String, String> model : checksums.entrySet()) {
                if (model.getKey() == null || model.getValue() == null) {
                    throw new EncoderLoadException("encoder manifest " + manifestUri + " lacks a model file name or"
                            + " its sha256: a downloaded model is only used when its checksum is known; fix the"
                            + " manifest on the server");
                }
                model.setValue(model.getValue().toLowerCase(Locale.ROOT));
            }
            return checksums;
        }
    }

    private final Path root;
    private final boolean allowPlainHttp;
    private final HttpClient http;

    public ModelCache(Path root, boolean allowPlainHttp, Duration connectTimeout) {
        this.root = root.toAbsolutePath().normalize();
        this.allowPlainHttp = allowPlainHttp;
        // NORMAL follows redirects except https -> http (Hugging Face redirects model files to its CDN).
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** {@code ~/.cache/aidetect/models}, https only, 30 s to connect. */
    public static ModelCache defaults() {
        return new ModelCache(defaultRoot(), false, Duration.ofSeconds(30));
    }

    public static Path defaultRoot() {
        return Path.of(System.getProperty("user.home"), ".cache", "aidetect", "models");
    }

    /** Where the manifest of {@code manifestUri} is (or would be) cached: {@code root/host/path}. */
    public Path cachedManifest(URI manifestUri) throws EncoderLoadException {
        String scheme = manifestUri.getScheme() == null ? "" : manifestUri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && allowPlainHttp)) {
            throw new EncoderLoadException("encoder URL " + manifestUri + " is refused: only https: is downloaded"
                    + (scheme.equals("http") ? " (plain http: only when allow-plain-http is set)" : ""));
        }
        String host = manifestUri.getHost() + (manifestUri.getPort() > 0 ? "_" + manifestUri.getPort() : "");
        return root.resolve(safeRelative(host + manifestUri.getRawPath(), manifestUri.toString()));
    }

    /**
     * The local copy of the remote manifest, downloading it and its model files first unless a complete copy is
     * already cached. Checksums of cached files are checked when the encoder loads.
     */
    public Path fetch(URI manifestUri) throws EncoderLoadException {
        Path manifest = cachedManifest(manifestUri);
        if (Files.isRegularFile(manifest)) {
            LOG.log(Level.INFO, "Encoder {0} is cached at {1}; not downloading it", manifestUri, manifest);
            return manifest;
        }
        byte[] manifestBytes = downloadManifest(manifestUri, manifest.getParent());
        ModelFiles files;
        try {
            files = JSON.readValue(manifestBytes, ModelFiles.class);
        } catch (IOException e) {
            throw new EncoderLoadException("encoder manifest " + manifestUri + " is not valid JSON: " + e.getMessage()
                    + "; fix the manifest on the server", e);
        }
        for (Map.Entry<String, String> model : files.checksums(manifestUri).entrySet()) {
            Path target = manifest.resolveSibling(safeRelative(model.getKey(), manifestUri.toString()));
            ModelDownload.toFile(http, manifestUri.resolve(model.getKey()), manifestUri, target, model.getValue());
        }
        ModelDownload.writeAtomically(manifest, manifestBytes, manifestUri);
        return manifest;
    }

    private byte[] downloadManifest(URI uri, Path cacheDir) throws EncoderLoadException {
        HttpResponse<byte[]> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw ModelDownload.unreachable(uri, uri, cacheDir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EncoderLoadException("interrupted while downloading " + uri, e);
        }
        ModelDownload.checkStatus(uri, response.statusCode());
        if (response.body().length > MAX_MANIFEST_BYTES) {
            throw new EncoderLoadException("encoder manifest " + uri + " is larger than " + MAX_MANIFEST_BYTES
                    + " bytes: point the setting at a manifest.json, not at a model file");
        }
        return response.body();
    }

    /** A relative path under the cache, refusing {@code ..}, absolute paths and empty names (path traversal). */
    private static Path safeRelative(String path, String source) throws EncoderLoadException {
        if (path.startsWith("/")) {
            throw new EncoderLoadException("encoder " + source + " names the absolute path '" + path
                    + "': model files must be named relative to the manifest");
        }
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.equals("..") || part.equals(".") || part.contains("\\") || part.contains(":")) {
                throw new EncoderLoadException("encoder " + source + " names the path '" + path
                        + "', which could leave the model cache: use plain relative names");
            }
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        if (parts.isEmpty()) {
            throw new EncoderLoadException("encoder " + source + " names an empty path");
        }
        return Path.of(parts.getFirst(), parts.subList(1, parts.size()).toArray(String[]::new));
    }
}
