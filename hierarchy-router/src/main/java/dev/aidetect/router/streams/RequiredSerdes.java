package dev.aidetect.router.streams;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import dev.aidetect.schemas.Topic;
import dev.aidetect.schemas.kafka.RecordDecodingException;

/**
 * Serdes of the router's inputs that refuse what the router cannot use: a record without a key (pipeline records are
 * keyed by image id) or without a value (a tombstone). The refusal is a {@link RecordDecodingException}, so such a
 * record takes the same way as one that does not decode: {@link DeadLetterHandler}.
 */
final class RequiredSerdes {
    private RequiredSerdes() {
    }

    static Serde<String> keys(Topic<String, ?> topic) {
        Deserializer<String> keys = topic.keySerde().deserializer();
        return Serdes.serdeFrom(topic.keySerde().serializer(), (name, data) -> {
            String key = keys.deserialize(name, data);
            if (key == null || key.isBlank()) {
                throw new RecordDecodingException(name, RecordDecodingException.Problem.NO_KEY, "record on " + name
                        + " has no key: pipeline records are keyed by their image id", null);
            }
            return key;
        });
    }

    static <V> Serde<V> values(Topic<String, V> topic) {
        Deserializer<V> values = topic.valueSerde().deserializer();
        return Serdes.serdeFrom(topic.valueSerde().serializer(), (name, data) -> {
            V value = values.deserialize(name, data);
            if (value == null) {
                throw new RecordDecodingException(name, RecordDecodingException.Problem.TOMBSTONE, "record on "
                        + name + " has no value (a tombstone): send a record, the router deletes nothing", null);
            }
            return value;
        });
    }
}
