package dev.aidetect.tools.train;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

import dev.aidetect.schemas.Topic;
import dev.aidetect.schemas.kafka.KafkaClientSettings;
import dev.aidetect.schemas.kafka.RecordDecodingException;

/**
 * Replays a topic of one kind of record ({@code ImageEmbedding}, {@code ImageSubmitted}, ...) from its earliest
 * offset up to the end offsets seen when the replay starts (records produced meanwhile are not waited for). It
 * assigns the partitions itself, so it joins no consumer group and commits nothing, and reads committed records only.
 */
public final class TopicReplay<V> {
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration STALL = Duration.ofSeconds(60);

    private final KafkaClientSettings cluster;
    private final String topic;
    private final Topic<?, V> kind;

    /** A replay from a plaintext cluster (the local stack, tests). */
    public TopicReplay(String bootstrapServers, String topic, Topic<?, V> kind) {
        this(KafkaClientSettings.plaintext(bootstrapServers), topic, kind);
    }

    /**
     * @param cluster the cluster and its client settings
     * @param topic the topic to replay
     * @param kind the pipeline topic whose kind of records it holds: gives the value serde (and the example name)
     */
    public TopicReplay(KafkaClientSettings cluster, String topic, Topic<?, V> kind) {
        this.cluster = cluster;
        this.topic = topic;
        this.kind = kind;
    }

    /**
     * @param sink gets every decodable record, in partition order
     * @param progress makes, given the number of records to read, the counter of records read so far
     * @return records that were not of the kind's type (left out)
     */
    public int replay(Consumer<? super V> sink, IntFunction<IntConsumer> progress) {
        Deserializer<V> values = kind.valueSerde().deserializer();
        int[] undecodable = {0};
        records(record -> {
            try {
                sink.accept(values.deserialize(topic, record.value()));
            } catch (RecordDecodingException e) {
                undecodable[0]++;
            }
        }, progress);
        return undecodable[0];
    }

    /**
     * Reads the topic from its start to where it ends now, as it is: keys, values and headers as bytes.
     *
     * @param sink gets every record, in partition order
     * @param progress makes, given the number of records to read, the counter of records read so far
     */
    public void records(Consumer<ConsumerRecord<byte[], byte[]>> sink, IntFunction<IntConsumer> progress) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("topic " + topic + " does not exist on " + cluster.bootstrapServers()
                        + "; name an existing topic of the same records as " + kind.name());
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions);
            int total = (int) partitions.stream().mapToLong(p -> ends.get(p) - starts.get(p)).sum();
            IntConsumer counter = progress.apply(total);
            int read = 0;
            long lastMove = System.nanoTime();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                var records = consumer.poll(POLL);
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (record.offset() >= ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue;
                    }
                    sink.accept(record);
                    counter.accept(++read);
                }
                if (!records.isEmpty()) {
                    lastMove = System.nanoTime();
                } else if (System.nanoTime() - lastMove > STALL.toNanos()) {
                    throw new IllegalStateException("replay of " + topic + " stalled at " + read + " of " + total
                            + " records for " + STALL.toSeconds() + " s; is " + cluster.bootstrapServers()
                            + " reachable?");
                }
            }
            counter.accept(total);
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(cluster.consumer(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString(),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
