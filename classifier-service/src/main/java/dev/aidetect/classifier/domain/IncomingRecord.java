package dev.aidetect.classifier.domain;

import java.util.UUID;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record as it came off a topic, not yet decoded, so that an undecodable one can still be rejected with its bytes.
 *
 * @param key the record key (the image id), or {@code null} when the producer sent none
 * @param payload the value bytes, possibly {@code null} (a tombstone)
 * @param topic the topic it came from
 * @param partition its partition, or -1 when it did not come off a topic
 * @param offset its offset, or -1 when it did not come off a topic
 * @param headers its headers, kept for a dead letter
 */
public record IncomingRecord(String key, byte[] payload, String topic, int partition, long offset, Headers headers) {

    /** A record made in code, not read off a partition. */
    public IncomingRecord(String key, byte[] payload, String topic) {
        this(key, payload, topic, -1, -1, new RecordHeaders());
    }

    /** Whether the record has a key (not null, not blank): the image id its producer meant. */
    public boolean keyed() {
        return key != null && !key.isBlank();
    }

    /** The key, or a made-up id for an unkeyed record so its rejection can still be told apart. */
    public String imageIdOr(String decodedId) {
        if (keyed()) {
            return key;
        }
        return decodedId != null && !decodedId.isBlank() ? decodedId : "unkeyed-" + UUID.randomUUID();
    }
}
