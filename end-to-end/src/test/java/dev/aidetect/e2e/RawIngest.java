package dev.aidetect.e2e;

import java.util.Properties;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.aidetect.schemas.Topics;

/**
 * Records on images.ingest (or any pipeline topic) as a producer that does not use this project writes them: any
 * bytes, or none, under any key, or none.
 */
final class RawIngest {
    private RawIngest() {
    }

    /** Sends {@code value} (null: a tombstone) under {@code key} and waits until the producer has flushed it. */
    static void send(String bootstrapServers, String key, byte[] value) {
        send(bootstrapServers, Topics.INGEST.name(), key, value);
    }

    /**
     * Sends {@code value} (null: a tombstone) under {@code key} (null: none) to {@code topic} and waits until the
     * broker has it.
     *
     * @return where the broker put it
     */
    static RecordMetadata send(String bootstrapServers, String topic, String key, byte[] value) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the broker did not take a record for " + topic + ": " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending to " + topic, e);
        }
    }
}
