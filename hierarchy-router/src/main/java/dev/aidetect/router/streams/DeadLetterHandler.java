package dev.aidetect.router.streams;

import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.jboss.logging.Logger;

import io.quarkus.arc.Arc;

import dev.aidetect.schemas.kafka.DeadLetter;
import dev.aidetect.topics.DeadLetters;

/**
 * The router's {@code deserialization.exception.handler}: a record on one of its inputs that is not what the topic
 * carries (not Avro, another record, an unknown schema, a tombstone, no key; {@link RequiredSerdes}) goes to
 * {@code deadletters.router} with its origin and reason, one log line, a count in
 * {@code aidetect_dead_letters_total}, and the router moves on. Kafka Streams 4.1.1 has no dead-letter support of its
 * own (KIP-1034's {@code errors.dead.letter.queue.topic.name} is not in its StreamsConfig), so this writes the dead
 * letter itself, outside the router's transaction: a crash before the next commit writes it again (at least once).
 *
 * <p>
 * When the dead letter cannot be written in time, the record is not skipped: the handler answers FAIL, the stream
 * thread stops, and the record is read again after a restart.
 */
public class DeadLetterHandler implements DeserializationExceptionHandler {
    /** A {@code Consumer<DeadLetter>} in the Streams config replaces the service's {@link DeadLetters} (tests). */
    public static final String SINK = "aidetect.dead-letters.sink";
    private static final Logger LOG = Logger.getLogger(DeadLetterHandler.class);

    private Consumer<DeadLetter> sink;
    private String service = "router";

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs) {
        if (configs.get(SINK) instanceof Consumer<?> given) {
            sink = (Consumer<DeadLetter>) given;
            return;
        }
        DeadLetters letters = Arc.container().instance(DeadLetters.class).get();
        service = letters.service();
        sink = letters::sendAndWait;
    }

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        try {
            sink.accept(DeadLetter.of(service, record, DeadLetter.reasonOf(exception), exception.getMessage()));
            return DeserializationHandlerResponse.CONTINUE;
        } catch (RuntimeException e) {
            LOG.errorf("Stopping: %s-%d@%d is unreadable and its dead letter was not written (%s); it is read again"
                    + " after a restart", record.topic(), record.partition(), record.offset(), e.getMessage());
            return DeserializationHandlerResponse.FAIL;
        }
    }
}
