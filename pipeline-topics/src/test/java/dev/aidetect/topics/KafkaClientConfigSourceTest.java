package dev.aidetect.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import dev.aidetect.schemas.kafka.KafkaClientSettings;

/**
 * The client settings file reaches every kind of Kafka client a service has: the channels' {@code kafka.*}, Kafka
 * Streams' {@code kafka-streams.*}, and the admin clients (built from {@code kafka.*}), with the precedence the
 * services' {@code application.properties} documents.
 */
class KafkaClientConfigSourceTest {
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"aidetect\" password=\"${file:/run/secrets/kafka.properties:password}\";";

    @TempDir
    Path dir;

    @Test
    void everySettingOfTheFileReachesTheChannelsKafkaStreamsAndTheAdminClients() throws Exception {
        SmallRyeConfig config = config(file("security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n"
                + "sasl.jaas.config=" + JAAS.replace("\\", "\\\\") + "\nssl.truststore.location=/etc/kafka/ca.jks\n"),
                Map.of());

        for (String prefix : new String[]{"kafka.", "kafka-streams."}) {
            assertThat(config.getValue(prefix + "security.protocol", String.class)).isEqualTo("SASL_PLAINTEXT");
            assertThat(config.getValue(prefix + "sasl.mechanism", String.class)).isEqualTo("PLAIN");
            assertThat(config.getValue(prefix + "ssl.truststore.location", String.class))
                    .isEqualTo("/etc/kafka/ca.jks");
            // Kafka's own config provider reference is passed through for Kafka to resolve, not expanded.
            assertThat(config.getValue(prefix + "sasl.jaas.config", String.class)).isEqualTo(JAAS);
        }
        Map<String, Object> channels = channelConfig(config);
        assertThat(KafkaClientSettings.adminView(channels)).containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.jaas.config", JAAS).containsEntry("bootstrap.servers", "localhost:9092");
    }

    @Test
    void aSecretFromAFileProviderReachesEveryClientKafkaStreamsIncluded() throws Exception {
        Path secrets = Files.writeString(dir.resolve("secrets.properties"), "password=s3cret\n");
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"router\" password=\""
                + "${file:" + secrets + ":password}\";";
        SmallRyeConfig config = config(file("security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
                + "config.providers=file\n"
                + "config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider\n"
                + "sasl.jaas.config=" + jaas + "\n"), Map.of());

        for (String prefix : new String[]{"kafka.", "kafka-streams."}) {
            assertThat(config.getValue(prefix + "sasl.jaas.config", String.class))
                    .isEqualTo(jaas.replace("${file:" + secrets + ":password}", "s3cret"));
        }
    }

    @Test
    void aSecretsFileThatIsMissingStopsTheServiceNamingTheFile() throws Exception {
        Path missing = dir.resolve("no-such-secrets.properties");
        Path file = file("config.providers=file\n"
                + "config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider\n"
                + "sasl.jaas.config=x password=\"${file:" + missing + ":password}\";\n");

        assertThatThrownBy(() -> config(file, Map.of())).hasStackTraceContaining(missing.toString());
    }

    @Test
    void theFilesAddressIsUsedWhenTheEnvironmentGivesNoneAndNeverReachesKafkaStreamsDirectly() throws Exception {
        Path file = file("bootstrap.servers=broker.example:9093\nsecurity.protocol=SSL\n");

        assertThat(config(file, Map.of()).getValue("kafka.bootstrap.servers", String.class))
                .isEqualTo("broker.example:9093");
        assertThat(config(file, Map.of("KAFKA_BOOTSTRAP_SERVERS", "other:9092"))
                .getValue("kafka.bootstrap.servers", String.class)).isEqualTo("other:9092");
        assertThat(config(file, Map.of()).getOptionalValue("kafka-streams.bootstrap.servers", String.class))
                .isEmpty();
    }

    @Test
    void withoutAFileNothingChanges() {
        SmallRyeConfig config = config(null, Map.of());

        assertThat(config.getValue("kafka.bootstrap.servers", String.class)).isEqualTo("localhost:9092");
        assertThat(config.getOptionalValue("kafka.security.protocol", String.class)).isEmpty();
    }

    @Test
    void aMisspeltSettingStopsTheServiceNamingTheSettingAndTheFile() throws Exception {
        Path file = file("security.protocoll=SASL_SSL\n");

        assertThatThrownBy(() -> config(file, Map.of())).hasStackTraceContaining("security.protocoll")
                .hasStackTraceContaining(file.toString());
    }

    @Test
    void aMissingFileStopsTheServiceNamingTheFile() {
        Path missing = dir.resolve("nowhere.properties");

        assertThatThrownBy(() -> config(missing, Map.of())).hasStackTraceContaining("does not exist")
                .hasStackTraceContaining(missing.toString());
    }

    private Path file(String content) throws Exception {
        return Files.writeString(dir.resolve("client.properties"), content);
    }

    /** A service's configuration: its application.properties, the environment, and the file's source. */
    private static SmallRyeConfig config(Path file, Map<String, String> environment) {
        Map<String, String> application = Map.of("kafka.bootstrap.servers", "localhost:9092",
                "kafka-streams.session.timeout.ms", "10000");
        Map<String, String> env = new HashMap<>(environment);
        if (file != null) {
            env.put(KafkaClientSettings.FILE_ENV, file.toString());
        }
        return new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(application, "application.properties", 250))
                .withSources(new io.smallrye.config.EnvConfigSource(env, 300))
                .withSources(new KafkaClientConfigSource()).build();
    }

    /** What Quarkus hands every channel: each kafka.* property without its prefix. */
    private static Map<String, Object> channelConfig(SmallRyeConfig config) {
        Map<String, Object> channels = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("kafka.")) {
                channels.put(name.substring("kafka.".length()), config.getValue(name, String.class));
            }
        }
        return channels;
    }
}
