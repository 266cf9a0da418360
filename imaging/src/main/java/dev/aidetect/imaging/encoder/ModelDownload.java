package dev.aidetect.imaging.encoder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;

import dev.aidetect.common.Sha256;

/** Streams one model file to disk for {@link ModelCache}: checksum while writing, progress every 10%, atomic move. */
final class ModelDownload {

    private static final System.Logger LOG = System.getLogger(ModelDownload.class.getName());
    private static final int MB = 1 << 20;

    private ModelDownload() {
    }

    /** Downloads {@code uri} to {@code target} if its SHA-256 is {@code sha256}; nothing is left behind otherwise. */
    static void toFile(HttpClient http, URI uri, URI manifestUri, Path target, String sha256)
            throws EncoderLoadException {
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            String actual;
            try (InputStream body = response.body(); OutputStream out = Files.newOutputStream(temp)) {
                checkStatus(uri, response.statusCode());
                actual = copy(body, out, response.headers().firstValueAsLong("Content-Length").orElse(-1), uri);
            }
            if (!actual.equals(sha256)) {
                throw new EncoderLoadException("downloaded " + uri + " has sha256 " + actual + " but its manifest "
                        + manifestUri + " expects " + sha256
                        + ": the server holds a different file than the manifest describes; nothing was cached");
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw unreachable(uri, manifestUri, target.getParent(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EncoderLoadException("interrupted while downloading " + uri, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /** Writes a small file (the manifest) under a temporary name, then moves it into place. */
    static void writeAtomically(Path target, byte[] content, URI source) throws EncoderLoadException {
        try {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
            Files.write(temp, content);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new EncoderLoadException("cannot write " + target + " (the cached copy of " + source + "): "
                    + e.getMessage() + "; make the model cache directory writable", e);
        }
    }

    static void checkStatus(URI uri, int status) throws EncoderLoadException {
        if (status != 200) {
            throw new EncoderLoadException("server answered HTTP " + status + " for encoder file " + uri
                    + ": check the URL (and the revision, for hf://)");
        }
    }

    /** The error for a download that failed on the network: which model, which URL, and how to supply it offline. */
    static EncoderLoadException unreachable(URI uri, URI manifestUri, Path cacheDir, IOException cause) {
        return new EncoderLoadException("cannot download encoder " + manifestUri + ": fetching " + uri + " failed ("
                + cause.getClass().getSimpleName() + ": " + cause.getMessage() + "). Without network access, download"
                + " the manifest and the model files it names on a machine with internet and put them in " + cacheDir
                + " (same file names), or point the encoder setting at a local manifest.json", cause);
    }

    private static String copy(InputStream in, OutputStream out, long length, URI uri) throws IOException {
        MessageDigest digest = Sha256.digest();
        byte[] buffer = new byte[MB];
        long done = 0;
        int loggedTenths = 0;
        for (int read; (read = in.read(buffer)) >= 0;) {
            out.write(buffer, 0, read);
            digest.update(buffer, 0, read);
            done += read;
            int tenths = length > 0 ? (int) (done * 10 / length) : (int) (done / (100L * MB));
            if (tenths > loggedTenths) {
                loggedTenths = tenths;
                LOG.log(Level.INFO, "Downloading {0}: {1}", uri, done / MB + " MB"
                        + (length > 0 ? " of " + length / MB + " MB (" + tenths * 10 + "%)" : ""));
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Removes a partial download; a failure is logged, not thrown, so it cannot hide why the download failed. */
    private static void deleteQuietly(Path temp) {
        try {
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cannot remove the partial download " + temp + "; delete it by hand", e);
        }
    }
}
