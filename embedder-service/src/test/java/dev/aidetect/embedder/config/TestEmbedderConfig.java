package dev.aidetect.embedder.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The embedder's settings built outside Quarkus, for tests of one class: the defaults plus {@code settings}. */
public final class TestEmbedderConfig {
    private TestEmbedderConfig() {
    }

    public static EmbedderConfig of(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.putIfAbsent("aidetect.embedder.encoder-manifest", "manifest.json");
        // Quarkus's converter reads durations such as 5s, as the service does.
        return new SmallRyeConfigBuilder().withMapping(EmbedderConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(all, "test", 100)).build()
                .getConfigMapping(EmbedderConfig.class);
    }
}
