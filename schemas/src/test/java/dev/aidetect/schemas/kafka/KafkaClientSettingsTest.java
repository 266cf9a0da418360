package dev.aidetect.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One Kafka client settings file, handed to every kind of client with what that kind knows. */
class KafkaClientSettingsTest {
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"u\" password=\"secret-pw\";";

    @TempDir
    Path dir;

    @Test
    void everyClientKindGetsTheSecuritySettingsOfTheFile() throws Exception {
        KafkaClientSettings settings = KafkaClientSettings.of("broker:9093", KafkaClientSettings.readFile(file(
                "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\nsasl.jaas.config=" + JAAS + "\n"
                        + "ssl.truststore.location=/etc/kafka/ca.jks\n")));

        for (Map<String, Object> config : new Map[]{settings.producer(Map.of()), settings.consumer(Map.of()),
                settings.admin(Map.of())}) {
            assertThat(config).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "PLAIN")
                    .containsEntry("sasl.jaas.config", JAAS)
                    .containsEntry("ssl.truststore.location", "/etc/kafka/ca.jks")
                    .containsEntry("bootstrap.servers", "broker:9093");
        }
    }

    @Test
    void aClientIsHandedOnlyTheSettingsItsKindKnowsAndItsOwnSettingsWin() throws Exception {
        KafkaClientSettings settings = KafkaClientSettings.of("broker:9093", KafkaClientSettings.readFile(
                file("isolation.level=read_uncommitted\nacks=1\nrequest.timeout.ms=20000\n")));

        assertThat(settings.producer(Map.of("acks", "all"))).containsEntry("acks", "all")
                .containsEntry("request.timeout.ms", "20000").doesNotContainKey("isolation.level");
        assertThat(settings.consumer(Map.of("isolation.level", "read_committed")))
                .containsEntry("isolation.level", "read_committed").doesNotContainKey("acks");
        assertThat(settings.admin(Map.of())).doesNotContainKeys("acks", "isolation.level")
                .containsEntry("request.timeout.ms", "20000");
    }

    @Test
    void theFilesAddressIsLeftToTheCaller() throws Exception {
        Map<String, String> entries = KafkaClientSettings
                .readFile(file("bootstrap.servers=a:1\nsecurity.protocol=SSL"));

        assertThat(entries).containsEntry("bootstrap.servers", "a:1");
        assertThat(KafkaClientSettings.of("b:2", entries).producer(Map.of())).containsEntry("bootstrap.servers", "b:2");
    }

    @Test
    void refusesASettingNoClientKnowsNamingItAndTheFile() throws Exception {
        Path file = file("security.protocoll=SASL_SSL\n");

        assertThatThrownBy(() -> KafkaClientSettings.readFile(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[security.protocoll]").hasMessageContaining(file.toString())
                .hasMessageContaining("check the spelling");
    }

    @Test
    void acceptsConfigProviderSettingsWhichHaveNoFixedNames() throws Exception {
        Map<String, String> entries = KafkaClientSettings.readFile(file("config.providers=file\n"
                + "config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider\n"));

        assertThat(KafkaClientSettings.of("b:2", entries).consumer(Map.of()))
                .containsKey("config.providers.file.class");
    }

    @Test
    void saysWhichFileIsMissing() {
        Path missing = dir.resolve("missing.properties");

        assertThatThrownBy(() -> KafkaClientSettings.readFile(missing)).hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void keepsSecretsOutOfItsDescription() throws Exception {
        KafkaClientSettings settings = KafkaClientSettings.of("b:2", KafkaClientSettings.readFile(file(
                "sasl.jaas.config=" + JAAS + "\nssl.keystore.password=hunter2\nsecurity.protocol=SASL_SSL\n")));

        assertThat(settings.toString()).contains("SASL_SSL").doesNotContain("secret-pw", "hunter2");
    }

    @Test
    void eachViewOfAChannelsConfigurationDropsWhatItsKindOfClientDoesNotKnow() {
        Map<String, Object> channels = Map.of("bootstrap.servers", "b:2", "security.protocol", "SSL",
                "streams.state.dir", "/tmp/x", "auto.offset.reset", "earliest");

        assertThat(KafkaClientSettings.adminView(channels)).containsOnlyKeys("bootstrap.servers", "security.protocol");
        assertThat(KafkaClientSettings.consumerView(channels)).containsOnlyKeys("bootstrap.servers",
                "security.protocol", "auto.offset.reset");
        assertThat(KafkaClientSettings.producerView(channels)).containsOnlyKeys("bootstrap.servers",
                "security.protocol");
    }

    private Path file(String content) throws Exception {
        return Files.writeString(dir.resolve("client.properties"), content);
    }
}
