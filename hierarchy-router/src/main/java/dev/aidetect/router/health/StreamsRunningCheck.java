package dev.aidetect.router.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while Kafka Streams is RUNNING: the router then owns its partitions, processes records and answers verdict
 * queries. Starting, restoring state and rebalancing read as not ready (queries would answer 503).
 */
@Readiness
@ApplicationScoped
public class StreamsRunningCheck implements HealthCheck {
    private final KafkaStreams streams;

    public StreamsRunningCheck(KafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public HealthCheckResponse call() {
        KafkaStreams.State state = streams.state();
        return HealthCheckResponse.named("Router cases processing")
                .status(state == KafkaStreams.State.RUNNING)
                .withData("state", state.name())
                .build();
    }
}
