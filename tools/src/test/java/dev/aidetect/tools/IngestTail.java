package dev.aidetect.tools;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.KafkaClientSettings;

/**
 * What lands on {@code images.ingest} from now on: a consumer positioned at the topic's end when made, so a test sees
 * only what it (and whatever shares the broker meanwhile) sends, and picks its own records out.
 */
public final class IngestTail implements AutoCloseable {
    private final KafkaConsumer<String, ImageSubmitted> consumer;
    private final List<ImageSubmitted> seen = new ArrayList<>();

    public IngestTail(KafkaClientSettings cluster) {
        consumer = new KafkaConsumer<>(cluster.consumer(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)),
                Topics.INGEST.keySerde().deserializer(), Topics.INGEST.valueSerde().deserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.INGEST.name(), Duration.ofSeconds(30))
                .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    /** Waits (at most {@code timeout}) until {@code count} records matching {@code wanted} have arrived; returns them. */
    public List<ImageSubmitted> collect(Predicate<ImageSubmitted> wanted, int count, Duration timeout) {
        await().atMost(timeout).pollDelay(Duration.ZERO).until(() -> {
            for (ConsumerRecord<String, ImageSubmitted> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.value() != null) {
                    seen.add(record.value());
                }
            }
            return seen.stream().filter(wanted).count() >= count;
        });
        return seen.stream().filter(wanted).toList();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
