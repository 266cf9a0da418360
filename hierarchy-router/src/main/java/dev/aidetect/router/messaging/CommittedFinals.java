package dev.aidetect.router.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

import dev.aidetect.router.config.RouterConfig;
import dev.aidetect.router.domain.VerdictView;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.Topics;

/**
 * Reads {@code verdicts.final} as a {@code read_committed} consumer (every partition, from the end, no group) and
 * broadcasts each final verdict to the live subscribers of {@code GET /verdicts/stream}.
 * <p>
 * Why a consumer and not a hook in the case processor: under {@code exactly_once_v2} the processor emits a final
 * inside a transaction that may still abort (a crash, a fenced instance), and the retry emits it again. Only a
 * {@code read_committed} consumer sees each committed final exactly once, so subscribers never see a verdict that
 * was rolled back. Every instance streams every final, not only those of its own partitions.
 */
@ApplicationScoped
public class CommittedFinals {
    private static final Logger LOG = Logger.getLogger(CommittedFinals.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final BroadcastProcessor<VerdictView> broadcast = BroadcastProcessor.create();
    private final String bootstrapServers;
    private final int bufferPerSubscriber;
    private volatile KafkaConsumer<String, FinalVerdict> consumer;
    private volatile boolean assigned;
    private Thread reader;

    public CommittedFinals(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            RouterConfig config) {
        this.bootstrapServers = bootstrapServers;
        this.bufferPerSubscriber = config.streamBuffer();
    }

    void start(@Observes StartupEvent event) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "aidetect-router-final-stream-" + UUID.randomUUID()),
                Topics.FINAL.keySerde().deserializer(), Topics.FINAL.valueSerde().deserializer());
        reader = Thread.ofPlatform().name("final-verdict-stream").daemon().start(this::read);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (consumer != null) {
            consumer.wakeup();
            reader.join(Duration.ofSeconds(5));
        }
        broadcast.onComplete();
    }

    /**
     * Final verdicts committed from now on, as they are committed. A subscriber that falls more than
     * {@code aidetect.router.stream-buffer} verdicts behind is ended with an error (reconnect to resume).
     */
    public Multi<VerdictView> stream() {
        return broadcast.onOverflow().buffer(bufferPerSubscriber);
    }

    /** True once the reader is positioned on every partition: finals committed after this are streamed. */
    public boolean assigned() {
        return assigned;
    }

    private void read() {
        try (var closing = consumer) {
            assignFromEnd();
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    for (ConsumerRecord<String, FinalVerdict> record : consumer.poll(POLL)) {
                        if (record.value() != null) {
                            broadcast.onNext(VerdictView.finished(record.value()));
                        }
                    }
                } catch (RecordDeserializationException e) {
                    LOG.errorf("skipping %s offset %d, not a FinalVerdict: %s", e.topicPartition(), e.offset(),
                            e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        } catch (WakeupException e) {
            LOG.debug("final verdict stream stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "final verdict stream failed: %s; GET /verdicts/stream sends nothing until restart",
                    e.getMessage());
            broadcast.onError(e);
        }
    }

    /** Waits for the topic (the start-up topic creation may run after this), then starts at its end. */
    private void assignFromEnd() throws InterruptedException {
        List<TopicPartition> partitions = List.of();
        while (partitions.isEmpty()) {
            try {
                partitions = consumer.partitionsFor(Topics.FINAL.name(), Duration.ofSeconds(10)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            } catch (TimeoutException e) {
                LOG.warnf("broker %s not reachable yet (%s); retrying", bootstrapServers, e.getMessage());
            }
            if (partitions.isEmpty()) {
                LOG.infof("waiting for topic %s before streaming final verdicts", Topics.FINAL.name());
                Thread.sleep(POLL);
            }
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        assigned = true;
    }
}
