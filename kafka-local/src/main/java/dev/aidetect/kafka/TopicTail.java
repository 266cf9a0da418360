package dev.aidetect.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Every record of a topic on the shared cluster, from its start, as bytes with headers: for tests that look for what
 * a service wrote where nothing else reads it (dead letters). Joins no group; call {@link #poll()} inside the test's
 * Awaitility condition.
 */
public final class TopicTail implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();

    public TopicTail(String topic) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaEndpoint.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Polls once; returns every record read so far. */
    public List<ConsumerRecord<byte[], byte[]>> poll() {
        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        return List.copyOf(seen);
    }

    /**
     * Polls once; returns the records read so far that carry header {@code name} with {@code value}: what one test
     * wrote on a topic every test of the broker shares.
     */
    public List<ConsumerRecord<byte[], byte[]>> pollCarrying(String name, byte[] value) {
        return poll().stream().filter(record -> record.headers().lastHeader(name) != null
                && Arrays.equals(record.headers().lastHeader(name).value(), value)).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
