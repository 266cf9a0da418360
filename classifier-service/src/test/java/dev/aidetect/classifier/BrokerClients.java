package dev.aidetect.classifier;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.aidetect.kafka.KafkaEndpoint;
import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.Topics;

/** Raw-bytes clients of the shared test broker, as the integration tests feed and read the packaged classifier. */
final class BrokerClients {
    private BrokerClients() {
    }

    static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaEndpoint.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Reads {@code topics} from the earliest offset, in its own group {@code group}, until each of {@code ids} has a
     * record there (the packaged classifier's outcomes: a verdict or a rejection per image).
     */
    static Map<String, ConsumerRecord<String, byte[]>> awaitOnePerId(String group, List<String> topics,
            List<String> ids) {
        Map<String, ConsumerRecord<String, byte[]>> byKey = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(group)) {
            consumer.subscribe(topics);
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (ids.contains(record.key())) {
                        byKey.put(record.key(), record);
                    }
                });
                return byKey.keySet().containsAll(ids);
            });
        }
        return byKey;
    }

    /** An outcome for an assertion's message: its topic, or a rejection's reason and message. */
    static String describe(ConsumerRecord<String, byte[]> output) {
        if (!output.topic().equals(Topics.REJECTED.name())) {
            return output.topic();
        }
        ImageRejected rejected = Topics.REJECTED.valueSerde().deserializer().deserialize(output.topic(),
                output.value());
        return "rejected " + rejected.getReason() + ": " + rejected.getMessage();
    }

    /** A consumer in its own group that reads from the earliest offset. */
    static KafkaConsumer<String, byte[]> consumer(String group) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaEndpoint.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
    }
}
