package dev.aidetect.router.streams;

import java.util.Map;
import java.util.concurrent.ExecutionException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

import dev.aidetect.router.config.TopicsConfig;
import dev.aidetect.schemas.Topics;

/** Creates the missing pipeline topics at start-up; Kafka Streams starts once its source topics exist. */
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

    void create(@Observes StartupEvent event) throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Topics.createAll(admin, config.partitions(), config.replicationFactor());
            LOG.infof("Pipeline topics ready on %s (%d partitions)", bootstrapServers, config.partitions());
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the pipeline topics on " + bootstrapServers + ": "
                    + e.getMessage() + " (is the broker running? set KAFKA_BOOTSTRAP_SERVERS to its address)", e);
        }
    }
}
