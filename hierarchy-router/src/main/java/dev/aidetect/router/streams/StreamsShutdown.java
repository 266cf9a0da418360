package dev.aidetect.router.streams;

import java.time.Duration;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.apache.kafka.streams.KafkaStreams;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;

import dev.aidetect.topics.ShutdownDeadline;

/**
 * Closes Kafka Streams with a bound before Quarkus does. Quarkus closes it with {@code KafkaStreams.close()}, which
 * waits without limit for the stream threads to commit and leave, and they wait for the broker: with the broker gone
 * the router did not exit for over 9 minutes. This close gives them half of {@code aidetect.shutdown.deadline}, so
 * the rest of the stop (the verdict feed's consumer, HTTP) has the other half; Quarkus's own close then finds Streams
 * closed, or, when they did not make it, {@link ShutdownDeadline} halts the process at the deadline.
 */
@ApplicationScoped
public class StreamsShutdown {
    private static final Logger LOG = Logger.getLogger(StreamsShutdown.class);

    private final KafkaStreams streams;
    private final Duration closeTimeout;

    public StreamsShutdown(KafkaStreams streams, ShutdownDeadline deadline) {
        this.streams = streams;
        this.closeTimeout = closeTimeout(deadline.deadline());
    }

    /** Half of the service's shutdown deadline. */
    static Duration closeTimeout(Duration deadline) {
        return deadline.dividedBy(2);
    }

    void close(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        long started = System.nanoTime();
        if (streams.close(closeTimeout)) {
            LOG.infof("Kafka Streams closed in %d ms", (System.nanoTime() - started) / 1_000_000);
        } else {
            LOG.warnf("Kafka Streams did not close within %d s (is the broker reachable?); the shutdown deadline"
                    + " ends the process, and a restart resumes from the last committed transaction",
                    closeTimeout.toSeconds());
        }
    }
}
