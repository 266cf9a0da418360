package dev.aidetect.router.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

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
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

import dev.aidetect.router.config.RouterConfig;
import dev.aidetect.router.domain.VerdictView;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.DeadLetter;
import dev.aidetect.schemas.kafka.RecordDecodingException;
import dev.aidetect.topics.DeadLetters;

/**
 * Reads {@code verdicts.final} on the channel of the same name, as a {@code read_committed} consumer of a group of its
 * own (every partition), and feeds each committed final verdict to the subscribers of {@code GET /verdicts/stream}
 * ({@link VerdictFeed}). At start-up it reads back the topic's tail (about {@code aidetect.router.stream-replay}
 * verdicts) so that clients can resume from an event they got before this instance started.
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

    private final VerdictFeed feed;
    private final DeadLetters deadLetters;
    private final int replay;

    public CommittedFinals(RouterConfig config, DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
        this.replay = config.streamReplay();
        this.feed = new VerdictFeed(replay, config.streamBuffer());
    }

    /**
     * A committed final verdict. One that is not a {@code FinalVerdict} (or a tombstone) becomes a dead letter on
     * {@code deadletters.router} and an empty place in the feed: every instance reads every final, so each instance
     * writes its own dead letter of it; the record itself stays on the compacted topic.
     */
    @Incoming(CHANNEL)
    public void onFinal(ConsumerRecord<String, byte[]> record) {
        FinalVerdict verdict = null;
        String reason = RecordDecodingException.Problem.TOMBSTONE.name();
        String problem = "a tombstone on " + record.topic() + ": final verdicts are never deleted";
        try {
            verdict = Topics.FINAL.valueSerde().deserializer().deserialize(record.topic(), record.value());
        } catch (RecordDecodingException e) {
            reason = e.problem().name();
            problem = e.getMessage();
        }
        if (verdict == null) {
            byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
            deadLetters.send(new DeadLetter(deadLetters.service(), record.topic(), record.partition(), record.offset(),
                    key, record.value(), record.headers(), reason, problem)).exceptionally(failure -> {
                        LOG.errorf("Could not write the dead letter of %s-%d@%d: %s", record.topic(),
                                record.partition(), record.offset(), failure.getMessage());
                        return null;
                    });
        }
        feed.add(record.partition(), record.offset(), verdict == null ? null : VerdictView.finished(verdict));
    }

    /**
     * Notes where each assigned partition ends now (what comes after is live), then goes back to read its tail for the
     * replay buffer, before it says it is positioned.
     */
    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions);
        long perPartition = (replay + partitions.size() - 1) / partitions.size();
        Map<Integer, Long> live = new HashMap<>();
        Map<Integer, Long> readFrom = new HashMap<>();
        for (TopicPartition partition : partitions) {
            long end = consumer.position(partition);
            long from = Math.max(beginnings.get(partition), end - perPartition);
            consumer.seek(partition, from);
            live.put(partition.partition(), end);
            readFrom.put(partition.partition(), from);
        }
        feed.positioned(readFrom, live);
    }

    void stop(@Observes ShutdownEvent event) {
        feed.close();
    }

    /**
     * Final verdicts that {@code filter} accepts, from the position {@code lastEventId} names (the buffered ones
     * first), or committed from now on when it is {@code null}.
     *
     * @throws IllegalArgumentException when {@code lastEventId} is not an id of this stream
     * @throws IllegalStateException while the feed is not reading yet
     */
    public Multi<VerdictFeed.Event> stream(String lastEventId, Predicate<VerdictView> filter) {
        return feed.subscribe(lastEventId, filter);
    }

    /** True once the channel is positioned on the topic's partitions: finals committed after this are streamed. */
    public boolean assigned() {
        return feed.ready();
    }
}
