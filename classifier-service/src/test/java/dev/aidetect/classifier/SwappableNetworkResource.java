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
 * Starts the packaged classifier with only the gan attribution network, configured as a symbolic link to the trained
 * network's directory (a test re-points the link to swap it, the atomic way to replace a directory), watched every
 * {@value SwappableHeadResource#RELOAD_INTERVAL}, reloads reading from anywhere under {@code target/}; the broker is the shared test broker. Images may come by
 * images.ingest record only.
 */
public class SwappableNetworkResource implements QuarkusTestResourceLifecycleManager {
    static final String LINK = "attribution-gan";

    @Override
    public Map<String, String> start() {
        Path dir = TrainedModels.DIR.resolveSibling("swap-network-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            Files.createDirectories(dir);
            Path link = Files.createSymbolicLink(dir.resolve(LINK), TrainedModels.ganNetworkDir());
            return Map.of(
                    "aidetect.classifier.attribution.gan", link.toString(),
                    "aidetect.classifier.reload-interval", SwappableHeadResource.RELOAD_INTERVAL,
                    "aidetect.admin.token", SwappableHeadResource.ADMIN_TOKEN,
                    // The link's directory and the trained networks it points at share target/.
                    "aidetect.classifier.model-dir", TrainedModels.DIR.getParent().toString(),
                    KafkaEndpoint.ENV_BOOTSTRAP, KafkaEndpoint.bootstrapServers());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot link the gan network from " + dir, e);
        }
    }

    @Override
    public void stop() {
        // The broker is shared by the JVM's tests and stops with it; the links stay in target/ for inspection.
    }
}
