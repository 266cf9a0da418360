package dev.aidetect.classifier.domain;

import java.util.UUID;

/**
 * A record as it came off a topic, not yet decoded, so that an undecodable one can still be rejected with its bytes.
 *
 * @param key the record key (the image id), or {@code null} when the producer sent none
 * @param payload the value bytes, possibly {@code null} (a tombstone)
 * @param topic the topic it came from
 */
public record IncomingRecord(String key, byte[] payload, String topic) {

    /** The key, or a made-up id for an unkeyed record so its rejection can still be told apart. */
    public String imageIdOr(String decodedId) {
        if (key != null && !key.isBlank()) {
            return key;
        }
        return decodedId != null && !decodedId.isBlank() ? decodedId : "unkeyed-" + UUID.randomUUID();
    }
}
