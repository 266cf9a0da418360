package dev.aidetect.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.schemas.kafka.KafkaClientSettings;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Where a command's cluster and client settings come from: {@code --bootstrap-servers}, {@code KAFKA_BOOTSTRAP_SERVERS},
 * then the {@code --kafka-config} file's address, then the local stack's; the file's settings reach every kind of
 * client the command makes.
 */
class KafkaClusterOptionTest {
    @TempDir
    Path dir;

    @Command(name = "talks")
    static final class Talks implements Runnable {
        @Mixin
        KafkaClusterOption kafka;

        @Override
        public void run() {
        }
    }

    @Command(name = "starts")
    static final class Starts implements Runnable {
        @Mixin
        OwnBrokerOrClusterOption kafka;

        @Override
        public void run() {
        }
    }

    @Test
    void theFilesSecuritySettingsReachTheProducerTheConsumerAndTheAdminClient() throws Exception {
        Path file = Files.writeString(dir.resolve("client.properties"),
                "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n");

        KafkaClientSettings settings = parse(new Talks(), "--bootstrap-servers", "broker:9093", "--kafka-config",
                file.toString()).kafka.settings();

        assertThat(settings.bootstrapServers()).isEqualTo("broker:9093");
        assertThat(settings.producer(java.util.Map.of())).containsEntry("security.protocol", "SASL_SSL");
        assertThat(settings.consumer(java.util.Map.of())).containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(settings.admin(java.util.Map.of())).containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void theOptionsAddressWinsOverTheFiles() throws Exception {
        Path file = Files.writeString(dir.resolve("client.properties"), "bootstrap.servers=from-file:9093\n");

        assertThat(parse(new Talks(), "--bootstrap", "given:9092", "--kafka-config", file.toString()).kafka
                .bootstrapServers()).isEqualTo("given:9092");
    }

    @Test
    void withoutAnAddressTheFilesIsUsedThenTheLocalStacks() throws Exception {
        assumeTrue(System.getenv("KAFKA_BOOTSTRAP_SERVERS") == null, "KAFKA_BOOTSTRAP_SERVERS is set here");
        Path file = Files.writeString(dir.resolve("client.properties"), "bootstrap.servers=from-file:9093\n");

        assertThat(parse(new Talks(), "--kafka-config", file.toString()).kafka.bootstrapServers())
                .isEqualTo("from-file:9093");
        assertThat(parse(new Talks()).kafka.bootstrapServers()).isEqualTo("localhost:9092");
    }

    @Test
    void aCommandWithItsOwnBrokerUsesAClusterOnlyWhenOneIsNamed() throws Exception {
        assumeTrue(System.getenv("KAFKA_BOOTSTRAP_SERVERS") == null, "KAFKA_BOOTSTRAP_SERVERS is set here");
        Path settingsOnly = Files.writeString(dir.resolve("settings.properties"), "security.protocol=SSL\n");
        Path withAddress = Files.writeString(dir.resolve("cluster.properties"),
                "bootstrap.servers=from-file:9093\nsecurity.protocol=SSL\n");

        assertThat(parse(new Starts()).kafka.givenOrNull()).isNull();
        assertThat(parse(new Starts(), "--kafka-config", settingsOnly.toString()).kafka.givenOrNull()).isNull();
        assertThat(parse(new Starts(), "--kafka-config", withAddress.toString()).kafka.givenOrNull())
                .isEqualTo(KafkaClientSettings.of("from-file:9093", KafkaClientSettings.readFile(withAddress)));
    }

    @Test
    void aBadFileIsAFailureThatNamesTheOption() throws Exception {
        Path file = Files.writeString(dir.resolve("client.properties"), "security.protocoll=SSL\n");

        assertThatThrownBy(() -> parse(new Talks(), "--kafka-config", file.toString()).kafka.settings())
                .isInstanceOf(CommandFailure.class).hasMessageContaining("security.protocoll")
                .hasMessageContaining("--kafka-config or AIDETECT_KAFKA_CONFIG_FILE");
    }

    private static <T> T parse(T command, String... args) {
        new CommandLine(command).parseArgs(args);
        return command;
    }
}
