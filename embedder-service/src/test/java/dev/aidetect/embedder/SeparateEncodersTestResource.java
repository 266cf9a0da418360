package dev.aidetect.embedder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Runs the repository's tiny encoder twice side by side, the second under its own id ({@link #SECOND_ID}, a copy of
 * the manifest in {@code target/}), with each encoder's vectors published separately.
 */
public class SeparateEncodersTestResource implements QuarkusTestResourceLifecycleManager {
    /** The second encoder's id, so its vectors go to images.embedded.tiny-clip-vit-second. */
    public static final String SECOND_ID = "tiny-clip-vit-second";

    @Override
    public Map<String, String> start() {
        Path tiny = Path.of(System.getProperty("aidetect.project.root"), "deploy/models/tiny-clip-vit");
        Path second = Path.of("target", "it-second-encoder").toAbsolutePath();
        try {
            Files.createDirectories(second);
            Files.copy(tiny.resolve("encoder.pt"), second.resolve("encoder.pt"), StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(second.resolve("manifest.json"), Files.readString(tiny.resolve("manifest.json"))
                    .replace("\"id\": \"tiny-clip-vit\"", "\"id\": \"" + SECOND_ID + "\"")
                    .replace("\"version\": \"1\"", "\"version\": \"2\""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return PackagedEmbedder
                .settings(Map.of("aidetect.embedder.encoder-manifest", tiny.resolve("manifest.json").toString(),
                        "aidetect.embedder.encoders", second.resolve("manifest.json").toString(),
                        "aidetect.embedder.publish", "separate",
                        "aidetect.embedder.device", "cpu"));
    }

    @Override
    public void stop() {
        // Nothing started.
    }
}
