package dev.aidetect.router.streams;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

import dev.aidetect.router.config.RouterConfig;
import dev.aidetect.router.metrics.RouterMetrics;

/** Gives Quarkus the router's topology; Quarkus configures, starts and stops the Kafka Streams app around it. */
@ApplicationScoped
public class TopologyProducer {
    @Produces
    public Topology topology(RouterConfig config, RouterMetrics metrics) {
        return CaseTopology.build(new StreamsBuilder(), RouterSettings.of(config), metrics);
    }
}
