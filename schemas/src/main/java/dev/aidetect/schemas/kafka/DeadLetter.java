package dev.aidetect.schemas.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record a consumer could not read, as it goes to its service's dead-letter topic ({@code deadletters.<service>}):
 * the original key, value and headers unchanged, plus {@code aidetect.dlt.*} headers that say where it came from
 * (topic, partition, offset), why it is here (a reason code and a one-line message) and which service put it there.
 * {@code ./aidetect redrive} reads those headers to put the record back on its origin topic, without them.
 *
 * @param service the service that could not read the record ({@code embedder}, {@code classifier}, {@code router})
 * @param reason a short code: a {@link RecordDecodingException.Problem}, or what the service calls the problem
 * @param message one line for the operator: what was wrong and what to do
 */
public record DeadLetter(String service, String topic, int partition, long offset, byte[] key, byte[] value,
        Headers headers, String reason, String message) {

    public static final String PREFIX = "aidetect.dlt.";
    public static final String TOPIC = PREFIX + "topic";
    public static final String PARTITION = PREFIX + "partition";
    public static final String OFFSET = PREFIX + "offset";
    public static final String REASON = PREFIX + "reason";
    public static final String MESSAGE = PREFIX + "message";
    public static final String SERVICE = PREFIX + "service";
    /** Longest message kept in the header (and the log line); the rest is cut. */
    static final int MESSAGE_LIMIT = 500;

    public DeadLetter {
        headers = headers == null ? new RecordHeaders() : headers;
        message = oneLine(message);
    }

    /** The dead letter of a record read as bytes. */
    public static DeadLetter of(String service, ConsumerRecord<byte[], byte[]> record, String reason,
            String message) {
        return new DeadLetter(service, record.topic(), record.partition(), record.offset(), record.key(),
                record.value(), record.headers(), reason, message);
    }

    /** The reason code of a failure to read a record: its {@link RecordDecodingException.Problem}, else UNREADABLE. */
    public static String reasonOf(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RecordDecodingException decoding && decoding.problem() != null) {
                return decoding.problem().name();
            }
        }
        return "UNREADABLE";
    }

    /** The dead-letter topic of a service. */
    public static String topicOf(String service) {
        return "deadletters." + service;
    }

    /** The record to write on {@code deadLetterTopic}: the original key, value and headers, and the origin headers. */
    public ProducerRecord<byte[], byte[]> toRecord(String deadLetterTopic) {
        List<Header> all = originalHeaders(headers);
        all.add(header(TOPIC, topic));
        all.add(header(PARTITION, String.valueOf(partition)));
        all.add(header(OFFSET, String.valueOf(offset)));
        all.add(header(REASON, reason));
        all.add(header(MESSAGE, message));
        all.add(header(SERVICE, service));
        return new ProducerRecord<>(deadLetterTopic, null, key, value, all);
    }

    /** The origin topic a dead letter's headers name, if they name one. */
    public static Optional<String> originTopic(Headers headers) {
        return text(headers, TOPIC);
    }

    /** The value of header {@code name}, if present. */
    public static Optional<String> text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null
                ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    /** {@code headers} without the dead-letter ones: what the record carried before it became a dead letter. */
    public static List<Header> originalHeaders(Headers headers) {
        List<Header> original = new ArrayList<>();
        for (Header header : headers) {
            if (!header.key().startsWith(PREFIX)) {
                original.add(header);
            }
        }
        return original;
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String oneLine(String message) {
        String line = message == null ? "" : message.replaceAll("\\s+", " ").strip();
        return line.length() <= MESSAGE_LIMIT ? line : line.substring(0, MESSAGE_LIMIT) + "...";
    }
}
