package dev.aidetect.topics;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

import dev.aidetect.schemas.kafka.KafkaClientSettings;

/**
 * The one place a service takes its Kafka client settings from: the Kafka client properties file named by
 * {@code aidetect.kafka.config-file} (env {@value KafkaClientSettings#FILE_ENV}). Each of its entries becomes
 * {@code kafka.<key>}, which every SmallRye Kafka channel inherits and the service's admin clients get through
 * {@link ServiceKafkaConfig}, and {@code kafka-streams.<key>}, which Kafka Streams hands to its own producers, consumers
 * and admin client. So {@code security.protocol}, {@code sasl.*} and {@code ssl.*} reach every client of the service.
 *
 * <p>
 * Kafka config provider references in the file's values ({@code ${file:/run/secrets/kafka.properties:password}}) are
 * resolved when the file is read, by the providers the file names: see {@link #resolveProviders}.
 *
 * <p>
 * The file's {@code bootstrap.servers} is the cluster's address when {@code KAFKA_BOOTSTRAP_SERVERS} gives none (this
 * source ranks above {@code application.properties} and below the environment). A channel's own setting in
 * {@code application.properties} still wins over the file for that channel.
 */
public final class KafkaClientConfigSource implements ConfigSourceFactory {
    /** The property (env {@value KafkaClientSettings#FILE_ENV}) that names the file. */
    public static final String FILE_PROPERTY = "aidetect.kafka.config-file";
    /** Above application.properties (250), below environment variables (300) and system properties (400). */
    static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue named = context.getValue(FILE_PROPERTY);
        if (named == null || named.getValue() == null || named.getValue().isBlank()) {
            return List.of();
        }
        Path file = Path.of(named.getValue().strip());
        return List.of(new PropertiesConfigSource(properties(resolveProviders(KafkaClientSettings.readFile(file))),
                "Kafka client settings " + file.toAbsolutePath(), ORDINAL));
    }

    /**
     * The entries with Kafka config provider references ({@code ${file:path:key}}, {@code ${env:NAME}}) replaced by
     * what the providers the file names ({@code config.providers}) give, as a Kafka client would do itself. Done here
     * because not every client of a service resolves them: the admin client Quarkus makes for Kafka Streams (it waits
     * for the source topics) is handed only admin settings, without {@code config.providers}, and would log in with
     * the reference as its password. The secrets so read stay in memory; Kafka logs password settings as
     * {@code [hidden]}.
     *
     * @throws org.apache.kafka.common.config.ConfigException when a provider cannot give a value (a missing file)
     */
    static Map<String, String> resolveProviders(Map<String, String> entries) {
        if (!entries.containsKey(AbstractConfig.CONFIG_PROVIDERS_CONFIG)) {
            return entries;
        }
        return new AbstractConfig(new ConfigDef(), entries, false).originalsStrings();
    }

    /** The configuration properties the file's entries become. */
    static Map<String, String> properties(Map<String, String> entries) {
        Map<String, String> properties = new HashMap<>();
        entries.forEach((key, value) -> {
            // A Kafka config provider reference (${file:/path:key}) is Kafka's to resolve, not the config system's.
            String literal = value.replace("${", "\\${");
            properties.put("kafka." + key, literal);
            if (!key.equals("bootstrap.servers")) {
                // Quarkus gives Kafka Streams its address from quarkus.kafka-streams.bootstrap-servers.
                properties.put("kafka-streams." + key, literal);
            }
        });
        return properties;
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }
}
