package dev.aidetect.e2e;

import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.aidetect.schemas.Topics;

/** Records on images.ingest as a producer that does not use this project writes them: any bytes, or none. */
final class RawIngest {
    private RawIngest() {
    }

    /** Sends {@code value} (null: a tombstone) under {@code key} and waits until the producer has flushed it. */
    static void send(String bootstrapServers, String key, byte[] value) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.INGEST.name(), key, value));
        }
    }
}
