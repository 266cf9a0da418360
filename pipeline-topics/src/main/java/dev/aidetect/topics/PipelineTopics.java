package dev.aidetect.topics;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.TopicAdmin;

/**
 * Creates the missing pipeline topics at start-up, before consumers, producers or Kafka Streams connect, so every
 * service can start first on an empty cluster and all topics share one partition count. Its admin client connects as
 * the service's channels do ({@link ServiceKafkaConfig}).
 */
@ApplicationScoped
public class PipelineTopics {
    private static final Logger LOG = Logger.getLogger(PipelineTopics.class);

    private final TopicsConfig config;
    private final ServiceKafkaConfig kafka;

    public PipelineTopics(TopicsConfig config, ServiceKafkaConfig kafka) {
        this.config = config;
        this.kafka = kafka;
    }

    void create(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        TopicAdmin.ensure(kafka.admin(), Topics.all(), config.partitions(), config.replicationFactor());
        LOG.infof("Pipeline topics ready on %s (%d partitions)", kafka.bootstrapServers(), config.partitions());
    }
}
