package dev.aidetect.topics;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

import dev.aidetect.schemas.kafka.TopicAdmin;

/**
 * Creates the missing pipeline topics at start-up, before consumers, producers or Kafka Streams connect, so every
 * service can start first on an empty cluster and all topics share one partition count.
 */
@ApplicationScoped
public class PipelineTopics {
    private static final Logger LOG = Logger.getLogger(PipelineTopics.class);

    private final TopicsConfig config;
    private final String bootstrapServers;

    public PipelineTopics(TopicsConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    void create(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        TopicAdmin.ensure(bootstrapServers, config.partitions(), config.replicationFactor());
        LOG.infof("Pipeline topics ready on %s (%d partitions)", bootstrapServers, config.partitions());
    }
}
