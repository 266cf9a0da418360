package dev.aidetect.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

import dev.aidetect.kafka.KafkaEndpoint;
import dev.aidetect.schemas.Topic;

/** Topics of a test's own on the shared broker, filled the way the replaying commands meet them in the wild. */
final class TestTopics {
    private TestTopics() {
    }

    /**
     * Creates {@code topic} and fills it with {@code records} of {@code kind}'s type, keyed by {@code key}, followed by
     * one record that is not Avro at all; returns once the broker has acknowledged every one.
     */
    static <V> void fill(String topic, int partitions, Topic<?, V> kind, List<V> records, Function<V, String> key)
            throws Exception {
        KafkaEndpoint.createTopic(topic, partitions);
        Serializer<V> values = kind.valueSerde().serializer();
        List<ProducerRecord<String, byte[]>> sends = new ArrayList<>();
        for (V record : records) {
            sends.add(new ProducerRecord<>(topic, key.apply(record), values.serialize(topic, record)));
        }
        sends.add(new ProducerRecord<>(topic, "not-avro", new byte[]{1, 2, 3}));
        KafkaEndpoint.produce(sends);
    }
}
