package dev.aidetect.topics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.aidetect.schemas.kafka.DeadLetter;

/**
 * Puts a record its service cannot read on the service's dead-letter topic ({@code deadletters.<service>}, created
 * with the pipeline topics), logs one line for it (origin, reason, message; never a stack trace: the record is the
 * evidence, and 800 bad records must not become 35,000 log lines), and counts it in
 * {@code aidetect_dead_letters_total{service,topic,reason}}. The caller moves on once the broker has the dead letter.
 *
 * <p>
 * Its producer is idempotent and acknowledges with all replicas; it is not part of any transaction (the router's
 * Kafka Streams app calls it from its deserialization handler), so a crash between the dead letter and the consumer's
 * commit writes that dead letter again on re-delivery: dead letters are at least once.
 */
@ApplicationScoped
public class DeadLetters {
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final String service;
    private final String topic;
    private final Duration sendTimeout;
    private final MeterRegistry registry;
    private final ServiceKafkaConfig kafka;
    private volatile Producer<byte[], byte[]> producer;

    public DeadLetters(DeadLettersConfig config, MeterRegistry registry, ServiceKafkaConfig kafka) {
        this.service = config.service();
        this.topic = DeadLetter.topicOf(service);
        this.sendTimeout = config.sendTimeout();
        this.registry = registry;
        this.kafka = kafka;
    }

    /** The service name dead letters carry. */
    public String service() {
        return service;
    }

    /** The dead-letter topic of this service. */
    public String topic() {
        return topic;
    }

    /**
     * Sends {@code letter}, logs its line and counts it; completes once the broker has it.
     */
    public CompletableFuture<Void> send(DeadLetter letter) {
        LOG.warnf("Dead letter %s-%d@%d -> %s [%s]: %s", letter.topic(), letter.partition(), letter.offset(), topic,
                letter.reason(), letter.message());
        // Prometheus shows it as aidetect_dead_letters_total (tools' DashboardTest reads the literal name here).
        Counter.builder("aidetect.dead.letters")
                .description("Records a service could not read, put on its dead-letter topic")
                .tag("service", service).tag("topic", letter.topic()).tag("reason", letter.reason())
                .register(registry).increment();
        CompletableFuture<Void> sent = new CompletableFuture<>();
        producer().send(letter.toRecord(topic), (metadata, failure) -> {
            if (failure == null) {
                sent.complete(null);
            } else {
                sent.completeExceptionally(failure);
            }
        });
        return sent;
    }

    /**
     * Sends {@code letter} and waits for the broker, up to {@code aidetect.dead-letters.send-timeout}.
     *
     * @throws IllegalStateException when the broker did not take it in time; the caller must not skip the record then
     */
    public void sendAndWait(DeadLetter letter) {
        try {
            send(letter).get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing a dead letter to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not write the dead letter of " + letter.topic() + "-"
                    + letter.partition() + "@" + letter.offset() + " to " + topic + " within " + sendTimeout
                    + " (is the broker up, and may this service write " + topic + "?)", e);
        }
    }

    private Producer<byte[], byte[]> producer() {
        Producer<byte[], byte[]> current = producer;
        if (current == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = new KafkaProducer<>(kafka.producer(Map.of(
                            ProducerConfig.CLIENT_ID_CONFIG, "aidetect-" + service + "-dead-letters",
                            ProducerConfig.ACKS_CONFIG, "all",
                            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName())));
                }
                current = producer;
            }
        }
        return current;
    }

    @PreDestroy
    void close() {
        Producer<byte[], byte[]> current = producer;
        if (current != null) {
            current.close(Duration.ofSeconds(5));
        }
    }
}
