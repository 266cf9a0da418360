package dev.aidetect.schemas.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;

/**
 * The Kafka client settings every client of the project takes from one place: a Kafka client {@code .properties} file
 * ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}, timeouts; the file a Kafka CLI takes with
 * {@code --command-config}), named by {@value #FILE_ENV} or, on the command line, {@code --kafka-config}. The services
 * read it through {@code pipeline-topics}' config source (SmallRye channels, Kafka Streams and admin clients alike);
 * the command line hands it to each producer, consumer and admin client it makes.
 *
 * <p>
 * Each kind of client gets the file's settings it knows (a producer is not handed {@code isolation.level}), then the
 * settings its own code needs for correctness ({@code acks=all}, {@code read_committed}) on top, then the cluster
 * address.
 *
 * @param bootstrapServers the cluster's address
 * @param settings the file's settings, {@code bootstrap.servers} excluded (empty: a plaintext cluster with defaults)
 */
public record KafkaClientSettings(String bootstrapServers, Map<String, String> settings) {
    /** The environment variable that names the client settings file, for the services and the command line. */
    public static final String FILE_ENV = "AIDETECT_KAFKA_CONFIG_FILE";
    private static final Set<String> ALL_CLIENT_SETTINGS = allClientSettings();

    public KafkaClientSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("no Kafka bootstrap servers given");
        }
        settings = Collections.unmodifiableMap(new TreeMap<>(settings));
        if (settings.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("bootstrap.servers belongs in bootstrapServers, not in the settings");
        }
    }

    /** A cluster reached without security settings (the local broker, tests). */
    public static KafkaClientSettings plaintext(String bootstrapServers) {
        return new KafkaClientSettings(bootstrapServers, Map.of());
    }

    /**
     * Reads a Kafka client properties file: every entry as it is, {@code bootstrap.servers} included.
     *
     * @throws IllegalArgumentException when the file is missing or unreadable, or names a setting no Kafka producer,
     *         consumer or admin client has (a typo would otherwise be ignored with a log line nobody reads)
     */
    public static Map<String, String> readFile(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("Kafka client config file " + file.toAbsolutePath() + " does not exist: "
                    + "give a Kafka client .properties file (security.protocol, sasl.*, ssl.*)");
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read the Kafka client config file " + file.toAbsolutePath()
                    + ": " + e.getMessage(), e);
        }
        Map<String, String> entries = new TreeMap<>();
        List<String> unknown = new ArrayList<>();
        for (String key : properties.stringPropertyNames()) {
            String value = properties.getProperty(key).strip();
            if (!isClientSetting(key)) {
                unknown.add(key);
            }
            entries.put(key, value);
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Kafka client config file " + file.toAbsolutePath() + " sets " + unknown
                    + ", which no Kafka producer, consumer or admin client knows: check the spelling (broker settings "
                    + "such as listeners belong in the broker's file)");
        }
        return entries;
    }

    /**
     * The settings of a file read by {@link #readFile} for a cluster at {@code bootstrapServers}; the file's own
     * {@code bootstrap.servers} is left to the caller, which decides whether it or another address wins.
     */
    public static KafkaClientSettings of(String bootstrapServers, Map<String, String> fileEntries) {
        Map<String, String> settings = new HashMap<>(fileEntries);
        settings.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        return new KafkaClientSettings(bootstrapServers, settings);
    }

    /** A producer's configuration: the file's producer settings, then {@code own}, then the address. */
    public Map<String, Object> producer(Map<String, ?> own) {
        return config(ProducerConfig.configNames(), own);
    }

    /** A consumer's configuration: the file's consumer settings, then {@code own}, then the address. */
    public Map<String, Object> consumer(Map<String, ?> own) {
        return config(ConsumerConfig.configNames(), own);
    }

    /** An admin client's configuration: the file's admin settings, then {@code own}, then the address. */
    public Map<String, Object> admin(Map<String, ?> own) {
        return config(AdminClientConfig.configNames(), own);
    }

    /**
     * Those of {@code config} an admin client knows: what a service hands its admin clients from the configuration its
     * Kafka channels get (which also holds consumer-only and producer-only settings an admin client would log as
     * unknown).
     */
    public static Map<String, Object> adminView(Map<String, ?> config) {
        return known(AdminClientConfig.configNames(), config);
    }

    /** Those of {@code config} a consumer knows (see {@link #adminView}). */
    public static Map<String, Object> consumerView(Map<String, ?> config) {
        return known(ConsumerConfig.configNames(), config);
    }

    /** Those of {@code config} a producer knows (see {@link #adminView}). */
    public static Map<String, Object> producerView(Map<String, ?> config) {
        return known(ProducerConfig.configNames(), config);
    }

    /** Whether a file may name {@code key}: a setting of some Kafka client, or a config provider's own setting. */
    public static boolean isClientSetting(String key) {
        return ALL_CLIENT_SETTINGS.contains(key) || configProvider(key);
    }

    private Map<String, Object> config(Set<String> known, Map<String, ?> own) {
        Map<String, Object> config = known(known, settings);
        config.putAll(own);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }

    /** Kafka's config providers ({@code ${file:path:key}} in a value) are every client's, under names of their own. */
    private static boolean configProvider(String key) {
        return key.equals(AbstractConfig.CONFIG_PROVIDERS_CONFIG)
                || key.startsWith(AbstractConfig.CONFIG_PROVIDERS_CONFIG + ".");
    }

    private static Set<String> allClientSettings() {
        Set<String> all = new HashSet<>(ProducerConfig.configNames());
        all.addAll(ConsumerConfig.configNames());
        all.addAll(AdminClientConfig.configNames());
        return Set.copyOf(all);
    }

    private static Map<String, Object> known(Set<String> known, Map<String, ?> config) {
        Map<String, Object> kept = new HashMap<>();
        config.forEach((key, value) -> {
            if (known.contains(key) || configProvider(key)) {
                kept.put(key, value);
            }
        });
        return kept;
    }

    /** Secrets stay out of logs and messages: the settings with any password or JAAS value masked. */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        settings.forEach((key, value) -> shown.put(key, secret(key) ? "[hidden]" : value));
        return "KafkaClientSettings[bootstrapServers=" + bootstrapServers + ", settings=" + shown + "]";
    }

    private static boolean secret(String key) {
        return key.contains("password") || key.contains("jaas") || key.contains("secret") || key.endsWith(".key");
    }
}
