package dev.aidetect.schemas.kafka;

import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializer for any of this project's records, named by class in Kafka client configuration
 * ({@code value.serializer=dev.aidetect.schemas.kafka.AvroSerializer}).
 */
public class AvroSerializer implements Serializer<SpecificRecord> {
    private static final ConcurrentHashMap<Class<?>, AvroSerde<?>> SERDES = new ConcurrentHashMap<>();

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public byte[] serialize(String topic, SpecificRecord record) {
        if (record == null) {
            return null;
        }
        AvroSerde serde = SERDES.computeIfAbsent(record.getClass(), c -> new AvroSerde(c));
        return serde.encode(record);
    }
}
