package dev.aidetect.router.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.aidetect.router.streams.RouterSettings;
import dev.aidetect.schemas.Stage;
import dev.aidetect.testing.ConfigDefaults;
import dev.aidetect.topics.TopicsConfig;

/** The router's defaults live once, in {@link RouterConfig}'s {@code @WithDefault}s. */
class RouterDefaultsTest {
    @Test
    void applicationPropertiesRepeatsNoDefault() throws Exception {
        assertThat(ConfigDefaults.repeatedIn(Path.of("src/main/resources/application.properties"),
                RouterConfig.class, TopicsConfig.class)).as("set in application.properties to their @WithDefault")
                .isEmpty();
    }

    @Test
    void theTopologysDefaultsAreTheServicesDefaults() {
        RouterSettings defaults = RouterSettings.defaults();

        assertThat(defaults.stages()).containsExactly(Stage.DETECTION, Stage.FAMILY, Stage.ATTRIBUTION);
        assertThat(defaults.stageTimeout()).isEqualTo(Duration.parse("PT"
                + ConfigDefaults.defaultsOf(RouterConfig.class).get("aidetect.router.stage-timeout").toUpperCase()));
    }
}
