package dev.aidetect.tools.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The services the local stack starts are this repository's modules, on the ports they are configured with. */
class StackServiceTest {
    private static final Path ROOT = Path.of(System.getProperty("aidetect.project.root", "..")).toAbsolutePath()
            .normalize();

    @Test
    void everyServiceIsAModuleOfTheRepositoryWithAQuarkusFastJar() throws IOException {
        String modules = Files.readString(ROOT.resolve("pom.xml"));
        for (StackService service : StackService.values()) {
            assertThat(modules).contains("<module>" + service.module() + "</module>");
            assertThat(service.jar(ROOT)).isEqualTo(ROOT.resolve(service.module())
                    .resolve("target/quarkus-app/quarkus-run.jar"));
        }
    }

    @Test
    void defaultPortsAreThePortsTheServicesAreConfiguredWithAndDiffer() throws IOException {
        for (StackService service : StackService.values()) {
            String properties = Files.readString(ROOT.resolve(service.module())
                    .resolve("src/main/resources/application.properties"));

            assertThat(properties).as(service.module()).containsPattern(
                    "(?m)^quarkus\\.http\\.port=" + service.defaultPort() + "$");
        }
        assertThat(Arrays.stream(StackService.values()).map(StackService::defaultPort)).doesNotHaveDuplicates();
    }
}
