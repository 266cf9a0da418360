package dev.aidetect.schemas;

import org.apache.kafka.common.serialization.Serde;

/**
 * A topic's name together with the serdes of its keys and values, so the name never lives apart from what it carries.
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
    @Override
    public String toString() {
        return name;
    }
}
