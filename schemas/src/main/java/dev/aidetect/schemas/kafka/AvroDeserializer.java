package dev.aidetect.schemas.kafka;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Deserializer for one record type. Kafka clients instantiate deserializers by class name, so each record has a
 * one-line subclass in {@link Deserializers}.
 */
public abstract class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    private final AvroSerde<T> serde;

    protected AvroDeserializer(Class<T> type) {
        this.serde = new AvroSerde<>(type);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return serde.decode(topic, data);
    }
}
