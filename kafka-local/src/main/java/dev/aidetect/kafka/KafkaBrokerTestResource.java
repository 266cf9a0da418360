package dev.aidetect.kafka;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a {@code @QuarkusTest} at the shared real broker of {@link KafkaEndpoint}, for SmallRye Kafka and Kafka
 * Streams alike, with Dev Services off (they need Docker). The broker outlives the test class: it is shared by every
 * test of the JVM and stops with it.
 */
public class KafkaBrokerTestResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        String bootstrap = KafkaEndpoint.bootstrapServers();
        return Map.of(
                "kafka.bootstrap.servers", bootstrap,
                "quarkus.kafka-streams.bootstrap-servers", bootstrap,
                "quarkus.kafka.devservices.enabled", "false");
    }

    @Override
    public void stop() {
        // Shared across test classes; stopped by the JVM shutdown hook.
    }
}
