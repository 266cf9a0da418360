package dev.aidetect.topics;

import java.time.Duration;
import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.TopicAdmin;

/**
 * Creates the missing pipeline topics at start-up, before consumers, producers or Kafka Streams connect, so every
 * service can start first on an empty cluster and all topics share one partition count. Its admin client connects as
 * the service's channels do ({@link ServiceKafkaConfig}).
 *
 * <p>
 * A broker that does not answer is waited for, as long as it takes (a line every attempt says so): the service is
 * not ready meanwhile (nothing else of it has started), and it starts working once the broker is there, instead of
 * exiting and needing a restart by hand. A SIGTERM during the wait ends it at once.
 */
@ApplicationScoped
public class PipelineTopics {
    private static final Logger LOG = Logger.getLogger(PipelineTopics.class);
    /** How long one attempt waits for the broker (the admin client's request and API timeouts). */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
    /** The pause between attempts grows to this. */
    static final Duration MAX_PAUSE = Duration.ofSeconds(5);

    private final TopicsConfig config;
    private final ServiceKafkaConfig kafka;
    private volatile boolean ready;

    public PipelineTopics(TopicsConfig config, ServiceKafkaConfig kafka) {
        this.config = config;
        this.kafka = kafka;
    }

    void create(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        Map<String, Object> admin = kafka.admin();
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ATTEMPT_TIMEOUT.toMillis());
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ATTEMPT_TIMEOUT.toMillis());
        Thread waiting = Thread.currentThread();
        Thread stop = new Thread(waiting::interrupt, "stop-waiting-for-kafka");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            awaitTopics(admin);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException e) {
                // The JVM is stopping: the hook has run (it interrupted the wait) or is running.
            }
        }
        ready = true;
        LOG.infof("Pipeline topics ready on %s (%d partitions)", kafka.bootstrapServers(), config.partitions());
    }

    /** Whether the broker answered and every pipeline topic exists. */
    public boolean ready() {
        return ready;
    }

    private void awaitTopics(Map<String, Object> admin) {
        long started = System.nanoTime();
        Duration pause = Duration.ofMillis(500);
        for (int attempt = 1;; attempt++) {
            try {
                TopicAdmin.ensure(admin, Topics.allWithDeadLetters(), config.partitions(), config.replicationFactor());
                if (attempt > 1) {
                    LOG.infof("Kafka at %s answered after %d s", kafka.bootstrapServers(), seconds(started));
                }
                return;
            } catch (IllegalStateException e) {
                if (Thread.currentThread().isInterrupted() || !brokerUnreachable(e)) {
                    throw e;
                }
                LOG.warnf("Waiting for Kafka at %s (attempt %d, %d s so far; next in %d ms): %s; the service is not"
                        + " ready until it answers (check KAFKA_BOOTSTRAP_SERVERS and that the broker runs)",
                        kafka.bootstrapServers(), attempt, seconds(started), pause.toMillis(), rootMessage(e));
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("stopped while waiting for Kafka at " + kafka.bootstrapServers(), e);
            }
            pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
        }
    }

    /**
     * Whether {@code failure} means the cluster did not answer in time (worth waiting for), not that it refused: a
     * topic with another partition count, or missing rights, stop the service at once.
     */
    static boolean brokerUnreachable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RetriableException) {
                return true;
            }
        }
        return false;
    }

    private static long seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000_000L;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
