package dev.aidetect.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SmallRye's annotations are matched by name, so stand-ins with the same names serve here. */
class ConfigDefaultsTest {
    @Retention(RetentionPolicy.RUNTIME)
    @interface ConfigMapping {
        String prefix();
    }

    @Retention(RetentionPolicy.RUNTIME)
    @interface WithDefault {
        String value();
    }

    @ConfigMapping(prefix = "app")
    interface AppConfig {
        @WithDefault("60s")
        Duration stageTimeout();

        Optional<Path> model();

        Fetch fetch();

        interface Fetch {
            @WithDefault("false")
            boolean allowPlainHttp();
        }
    }

    @TempDir
    Path dir;

    @Test
    void findsEveryPropertyThatRepeatsItsDefaultNestedGroupsIncluded() throws Exception {
        Path properties = Files.writeString(dir.resolve("application.properties"), """
                app.stage-timeout=60s
                app.fetch.allow-plain-http=false
                %test.app.stage-timeout=8s
                app.model=models/a.head
                """);

        assertThat(ConfigDefaults.repeatedIn(properties, AppConfig.class))
                .containsExactly("app.fetch.allow-plain-http=false", "app.stage-timeout=60s");
    }

    @Test
    void aValueThatDiffersFromTheDefaultIsAChoiceNotACopy() throws Exception {
        Path properties = Files.writeString(dir.resolve("application.properties"), "app.stage-timeout=90s\n");

        assertThat(ConfigDefaults.repeatedIn(properties, AppConfig.class)).isEmpty();
    }
}
