package dev.aidetect.classifier.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.aidetect.testing.ConfigDefaults;
import dev.aidetect.topics.TopicsConfig;

/** The classifier's defaults live once, in its {@code @ConfigMapping}s' {@code @WithDefault}s. */
class ClassifierDefaultsTest {
    @Test
    void applicationPropertiesRepeatsNoDefault() throws Exception {
        assertThat(ConfigDefaults.repeatedIn(Path.of("src/main/resources/application.properties"),
                ClassifierConfig.class, TopicsConfig.class)).as("set in application.properties to their @WithDefault")
                .isEmpty();
    }
}
