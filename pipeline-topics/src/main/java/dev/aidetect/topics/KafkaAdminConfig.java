package dev.aidetect.topics;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.common.annotation.Identifier;

import dev.aidetect.schemas.kafka.KafkaClientSettings;

/**
 * The configuration of the admin clients a service makes (creating topics at start-up): what its Kafka channels get
 * ({@code kafka.*}, where {@link KafkaClientConfigSource} puts the client settings file), the settings an admin client
 * knows only. So an admin client connects exactly as the channels do, security settings included.
 */
@ApplicationScoped
public class KafkaAdminConfig {
    private final Map<String, Object> channels;

    public KafkaAdminConfig(@Identifier("default-kafka-broker") Map<String, Object> channels) {
        this.channels = channels;
    }

    /** A fresh map for {@code Admin.create}. */
    public Map<String, Object> admin() {
        return KafkaClientSettings.adminView(channels);
    }

    /** The cluster's address, for log lines. */
    public String bootstrapServers() {
        return String.valueOf(channels.get("bootstrap.servers"));
    }
}
