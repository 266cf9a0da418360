package dev.aidetect.router;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.aidetect.schemas.Topic;
import dev.aidetect.schemas.kafka.AvroSerializer;

/**
 * Plays the other services against a real broker: sends pipeline records, and reads what the router published with
 * a read_committed consumer (only records of committed transactions), keeping those of the test's own images.
 */
final class PipelineClient implements AutoCloseable {
    private final KafkaProducer<String, SpecificRecord> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, Topic<String, ? extends SpecificRecord>> topics;
    private final Set<String> imageIds;

    PipelineClient(String bootstrapServers, List<Topic<String, ? extends SpecificRecord>> read, Set<String> imageIds) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new AvroSerializer());
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                new ByteArrayDeserializer());
        this.topics = new HashMap<>();
        read.forEach(topic -> topics.put(topic.name(), topic));
        this.imageIds = imageIds;
        List<TopicPartition> partitions = new ArrayList<>();
        for (String name : topics.keySet()) {
            consumer.partitionsFor(name).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    <V extends SpecificRecord> void send(Topic<String, V> topic, String imageId, V value) {
        try {
            producer.send(new ProducerRecord<>(topic.name(), imageId, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot send " + imageId + " to " + topic, e);
        }
    }

    /** What the router published for the test's images since the last call, with the topic it came on. */
    List<Received> poll() {
        List<Received> received = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            if (imageIds.contains(record.key())) {
                SpecificRecord value = topics.get(record.topic()).valueSerde().deserializer()
                        .deserialize(record.topic(), record.value());
                received.add(new Received(record.topic(), record.key(), value));
            }
        }
        return received;
    }

    @Override
    public void close() {
        producer.close();
        consumer.close();
    }

    record Received(String topic, String imageId, SpecificRecord value) {
    }
}
