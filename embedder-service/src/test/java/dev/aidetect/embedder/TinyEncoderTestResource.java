package dev.aidetect.embedder;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a packaged embedder ({@code @QuarkusIntegrationTest} runs it in the prod profile, from another working
 * directory) at the repository's tiny encoder.
 */
public class TinyEncoderTestResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        String root = System.getProperty("aidetect.project.root");
        if (root == null) {
            throw new IllegalStateException("system property aidetect.project.root is not set: run the tests "
                    + "through Maven");
        }
        return PackagedEmbedder.settings(
                Map.of("aidetect.embedder.encoder-manifest", root + "/deploy/models/tiny-clip-vit/manifest.json"));
    }

    @Override
    public void stop() {
        // Nothing started.
    }
}
