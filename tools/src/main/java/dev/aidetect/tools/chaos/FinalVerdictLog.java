package dev.aidetect.tools.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.Topics;

/**
 * {@code verdicts.final} as a platform reads it: committed transactions only ({@code read_committed}), assigned to
 * every partition (no group to join).
 */
final class FinalVerdictLog {
    private FinalVerdictLog() {
    }

    /**
     * Every committed final verdict of the given ids, read from the start of the topic to its end as it is now.
     *
     * @throws IllegalStateException when the end is not reached within the timeout
     */
    static Map<String, List<FinalVerdict>> read(String bootstrap, List<String> ids, Duration timeout) {
        Set<String> wanted = new HashSet<>(ids);
        Map<String, List<FinalVerdict>> verdicts = new HashMap<>();
        try (KafkaConsumer<String, FinalVerdict> consumer = consumer(bootstrap)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.FINAL.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // For a read_committed consumer the end is the last stable offset: no open transaction is waited for.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("verdicts.final could not be read to its end within " + timeout
                            + "; is the broker at " + bootstrap + " up?");
                }
                for (ConsumerRecord<String, FinalVerdict> record : consumer.poll(Duration.ofMillis(200))) {
                    FinalVerdict verdict = record.value();
                    if (verdict != null && wanted.contains(verdict.getImageId())) {
                        verdicts.computeIfAbsent(verdict.getImageId(), id -> new ArrayList<>()).add(verdict);
                    }
                }
            }
        }
        return verdicts;
    }

    private static KafkaConsumer<String, FinalVerdict> consumer(String bootstrap) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 << 20);
        return new KafkaConsumer<>(config, Topics.FINAL.keySerde().deserializer(),
                Topics.FINAL.valueSerde().deserializer());
    }
}
