package dev.aidetect.topics;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.common.annotation.Identifier;

import dev.aidetect.schemas.kafka.KafkaClientSettings;

/**
 * The configuration of a Kafka client a service makes in code (the admin client that creates topics at start-up, a
 * consumer that reads a record by its coordinates): what the service's Kafka channels get ({@code kafka.*}, where
 * {@link KafkaClientConfigSource} puts the client settings file), the settings that kind of client knows only, then the
 * client's own. So every client connects exactly as the channels do, security settings included.
 */
@ApplicationScoped
public class ServiceKafkaConfig {
    private final Map<String, Object> channels;

    public ServiceKafkaConfig(@Identifier("default-kafka-broker") Map<String, Object> channels) {
        this.channels = channels;
    }

    /** A fresh map for {@code Admin.create}. */
    public Map<String, Object> admin() {
        return KafkaClientSettings.adminView(channels);
    }

    /** A fresh map for a {@code KafkaConsumer}: the channels' consumer settings, then {@code own}. */
    public Map<String, Object> consumer(Map<String, ?> own) {
        Map<String, Object> config = KafkaClientSettings.consumerView(channels);
        config.putAll(own);
        return config;
    }

    /** A fresh map for a {@code KafkaProducer}: the channels' producer settings, then {@code own}. */
    public Map<String, Object> producer(Map<String, ?> own) {
        Map<String, Object> config = KafkaClientSettings.producerView(channels);
        config.putAll(own);
        return config;
    }

    /** The cluster's address, for log lines. */
    public String bootstrapServers() {
        return String.valueOf(channels.get("bootstrap.servers"));
    }
}
