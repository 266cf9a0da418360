package dev.aidetect.tools.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack refuses to start from a checkout that is not built, listing what is missing and the command that
 * builds it, before it touches the work folder or starts anything.
 */
class LocalStackTest {
    @TempDir
    Path root;

    private final StringWriter progress = new StringWriter();

    @Test
    void anUnbuiltCheckoutListsEveryMissingJarAndTheBuildCommand() {
        assertThatThrownBy(() -> start(null, EnumSet.allOf(StackService.class)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("not built: [")
                .hasMessageContaining(StackService.EMBEDDER.jar(root).toString())
                .hasMessageContaining(StackService.CLASSIFIER.jar(root).toString())
                .hasMessageContaining(StackService.ROUTER.jar(root).toString())
                .hasMessageContaining("kafka-local/target/kafka-local-*.jar")
                .hasMessageEndingWith("; run ./mvnw -DskipTests package (./aidetect demo does this for you)");
        assertThat(progress.toString()).isEmpty();
    }

    @Test
    void anExistingClusterNeedsNoBrokerJar() {
        assertThatThrownBy(() -> start("localhost:9", EnumSet.allOf(StackService.class)))
                .hasMessageStartingWith("not built: [").hasMessageNotContaining("kafka-local");
    }

    @Test
    void onlyTheServicesAskedForMustBeBuilt() throws IOException {
        Files.createDirectories(StackService.ROUTER.jar(root).getParent());
        Files.createFile(StackService.ROUTER.jar(root));

        assertThatThrownBy(() -> start("localhost:9", EnumSet.of(StackService.EMBEDDER, StackService.ROUTER)))
                .hasMessage("not built: [" + StackService.EMBEDDER.jar(root)
                        + "]; run ./mvnw -DskipTests package (./aidetect demo does this for you)");
    }

    @Test
    void aBrokerJarOfSourcesIsNotABrokerJar() throws IOException {
        Files.createDirectories(root.resolve("kafka-local/target"));
        Files.createFile(root.resolve("kafka-local/target/kafka-local-0.1.0-SNAPSHOT-sources.jar"));

        assertThatThrownBy(() -> start(null, EnumSet.noneOf(StackService.class)))
                .hasMessageContaining("kafka-local/target/kafka-local-*.jar");
    }

    @Test
    void aFailedStartLeavesTheWorkFolderAsItWas() throws IOException {
        Path brokerData = Files.createDirectories(root.resolve("work/kafka"));
        Files.writeString(brokerData.resolve("meta.properties"), "kept");

        assertThatThrownBy(() -> start(null, EnumSet.allOf(StackService.class)))
                .isInstanceOf(IllegalStateException.class);

        assertThat(brokerData.resolve("meta.properties")).hasContent("kept");
    }

    private void start(String externalBootstrap, EnumSet<StackService> services) {
        LocalStack.Settings settings = new LocalStack.Settings(root, root.resolve("work"), externalBootstrap, 9092, 3,
                Map.of());
        LocalStack.start(settings, new PrintWriter(progress, true), services).close();
    }
}
