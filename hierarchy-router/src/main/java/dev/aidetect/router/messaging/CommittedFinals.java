package dev.aidetect.router.messaging;

import java.util.Collection;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Default;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

import dev.aidetect.router.config.RouterConfig;
import dev.aidetect.router.domain.VerdictView;
import dev.aidetect.schemas.FinalVerdict;

/**
 * Reads {@code verdicts.final} on the channel of the same name, as a {@code read_committed} consumer of a group of its
 * own (every partition, from the end), and broadcasts each final verdict to the live subscribers of
 * {@code GET /verdicts/stream}.
 * <p>
 * Why a consumer and not a hook in the case processor: under {@code exactly_once_v2} the processor emits a final
 * inside a transaction that may still abort (a crash, a fenced instance), and the retry emits it again. Only a
 * {@code read_committed} consumer sees each committed final exactly once, so subscribers never see a verdict that
 * was rolled back. Every instance streams every final, not only those of its own partitions.
 */
@ApplicationScoped
@Default
@Identifier(CommittedFinals.REBALANCE_LISTENER)
public class CommittedFinals implements KafkaConsumerRebalanceListener {
    /** The channel, named as its topic ({@code Topics.FINAL}; a test holds them equal). */
    public static final String CHANNEL = "verdicts.final";
    /** The name the channel's configuration gives its rebalance listener. */
    static final String REBALANCE_LISTENER = "verdicts.final-stream";
    private static final Logger LOG = Logger.getLogger(CommittedFinals.class);

    private final BroadcastProcessor<VerdictView> broadcast = BroadcastProcessor.create();
    private final int bufferPerSubscriber;
    private volatile boolean assigned;

    public CommittedFinals(RouterConfig config) {
        this.bufferPerSubscriber = config.streamBuffer();
    }

    /** A committed final verdict; one that is not a {@code FinalVerdict} arrives empty and is skipped (logged). */
    @Incoming(CHANNEL)
    public void onFinal(ConsumerRecord<String, FinalVerdict> record) {
        if (record.value() == null) {
            LOG.errorf("skipping %s-%d offset %d: not a FinalVerdict", record.topic(), record.partition(),
                    record.offset());
            return;
        }
        broadcast.onNext(VerdictView.finished(record.value()));
    }

    /**
     * Resolves the position on every assigned partition (the end, for a group of its own) before it says it is
     * assigned: finals committed after that are streamed.
     */
    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(consumer::position);
        assigned = !partitions.isEmpty();
    }

    void stop(@Observes ShutdownEvent event) {
        broadcast.onComplete();
    }

    /**
     * Final verdicts committed from now on, as they are committed. A subscriber that falls more than
     * {@code aidetect.router.stream-buffer} verdicts behind is ended with an error (reconnect to resume).
     */
    public Multi<VerdictView> stream() {
        return broadcast.onOverflow().buffer(bufferPerSubscriber);
    }

    /** True once the channel is positioned on the topic's partitions: finals committed after this are streamed. */
    public boolean assigned() {
        return assigned;
    }
}
