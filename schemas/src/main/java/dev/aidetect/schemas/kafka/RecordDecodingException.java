package dev.aidetect.schemas.kafka;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A payload on a topic could not be read as the record that topic carries. The message names the topic, the
 * expected record and what was wrong, so an operator can find the producer at fault.
 */
public class RecordDecodingException extends SerializationException {
    private final String topic;

    public RecordDecodingException(String topic, String message, Throwable cause) {
        super(message, cause);
        this.topic = topic;
    }

    /** The topic the payload came from, or {@code null} when it was decoded outside Kafka. */
    public String topic() {
        return topic;
    }
}
