package dev.aidetect.embedder;

import java.util.HashMap;
import java.util.Map;

/** Settings every test of the packaged embedder ({@code @QuarkusIntegrationTest}, the prod profile) gives it. */
final class PackagedEmbedder {
    private PackagedEmbedder() {
    }

    /**
     * {@code settings} plus {@code jpeg-decoder=auto}: these tests are about encoders and formats, and run on machines
     * with or without libturbojpeg0; the prod default's refusal to start without it is ImagePreparerTest's subject.
     */
    static Map<String, String> settings(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("aidetect.embedder.jpeg-decoder", "auto");
        return all;
    }
}
