package dev.aidetect.schemas.kafka;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A payload on a topic could not be read as the record that topic carries. The message names the topic, the
 * expected record and what was wrong, so an operator can find the producer at fault.
 */
public class RecordDecodingException extends SerializationException {
    /** What was wrong, as a short code for metrics and dead-letter headers. */
    public enum Problem {
        /** The payload does not start with the single-object marker: not written by this project's serde. */
        NOT_AVRO,
        /** The schema fingerprint is no known version of the record: another record type, or a newer schema. */
        UNKNOWN_SCHEMA,
        /** The payload ends before the record does. */
        TRUNCATED,
        /** The record's body does not decode. */
        CORRUPT,
        /** The record has no value (a tombstone) where a record is expected. */
        TOMBSTONE,
        /** The record has no key where the image id is expected. */
        NO_KEY
    }

    private final String topic;
    private final Problem problem;

    public RecordDecodingException(String topic, Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.topic = topic;
        this.problem = problem;
    }

    /** The topic the payload came from, or {@code null} when it was decoded outside Kafka. */
    public String topic() {
        return topic;
    }

    /** What was wrong with the payload. */
    public Problem problem() {
        return problem;
    }
}
