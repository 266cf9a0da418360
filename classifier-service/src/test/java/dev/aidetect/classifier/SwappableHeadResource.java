package dev.aidetect.classifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.aidetect.kafka.KafkaEndpoint;

/**
 * Starts the packaged classifier with only a detection head, from a private copy of the trained one (so a test may
 * replace the file), watched every {@value #RELOAD_INTERVAL}; the broker is the shared test broker.
 */
public class SwappableHeadResource implements QuarkusTestResourceLifecycleManager {
    static final String RELOAD_INTERVAL = "500ms";
    /** The admin token the swap tests' classifiers take ({@code POST /models/{slot}/reload} needs it). */
    static final String ADMIN_TOKEN = "swap-test-admin-token-" + UUID.randomUUID();

    @Override
    public Map<String, String> start() {
        String detection = TrainedModels.config().get("aidetect.classifier.detection-head");
        Path dir = TrainedModels.DIR.resolveSibling("swap-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            Files.createDirectories(dir);
            Path copy = Files.copy(Path.of(detection), dir.resolve("detection.head"));
            return Map.of(
                    "aidetect.classifier.detection-head", copy.toString(),
                    "aidetect.classifier.reload-interval", RELOAD_INTERVAL,
                    "aidetect.admin.token", ADMIN_TOKEN,
                    KafkaEndpoint.ENV_BOOTSTRAP, KafkaEndpoint.bootstrapServers());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the detection head into " + dir, e);
        }
    }

    @Override
    public void stop() {
        // The broker is shared by the JVM's tests and stops with it; the copies stay in target/ for inspection.
    }
}
