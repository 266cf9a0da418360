package dev.aidetect.topics;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until the broker has answered and the pipeline topics exist ({@link PipelineTopics}): while a service
 * waits for Kafka at start-up nothing of it works, whatever its other checks say.
 */
@Readiness
@ApplicationScoped
public class KafkaReadyCheck implements HealthCheck {
    private final PipelineTopics topics;
    private final ServiceKafkaConfig kafka;

    public KafkaReadyCheck(PipelineTopics topics, ServiceKafkaConfig kafka) {
        this.topics = topics;
        this.kafka = kafka;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Kafka pipeline topics")
                .status(topics.ready())
                .withData("bootstrap.servers", kafka.bootstrapServers())
                .build();
    }
}
