package dev.aidetect.router.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.MemorySize;

import dev.aidetect.router.config.RouterConfig;
import dev.aidetect.schemas.ImageSubmissions;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.Topics;
import dev.aidetect.topics.ServiceKafkaConfig;

/**
 * Produces the submissions of {@code POST /images} to {@code images.ingest} with the service's Kafka client settings
 * (those of its channels, security included) and the settings every uploader of the project uses
 * ({@link ImageSubmissions#producerSettings}), and waits until the broker has taken them. Made at start-up, so that
 * an upload limit that cannot work stops the router there rather than at the first upload.
 */
@Startup
@ApplicationScoped
public class ImageUploads {
    /** How long an upload waits for the broker to take its records before it answers 503. */
    static final Duration BROKER_TIMEOUT = Duration.ofSeconds(30);

    private final long limit;
    private final KafkaProducer<String, ImageSubmitted> producer;

    public ImageUploads(RouterConfig config, ServiceKafkaConfig kafka,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize httpLimit) {
        this.limit = config.uploadLimit().asLongValue();
        if (limit > ImageSubmissions.MAX_INLINE_BYTES) {
            throw new IllegalArgumentException("aidetect.router.upload-limit (" + limit + " bytes) is more than an "
                    + Topics.INGEST.name() + " record carries inline (" + ImageSubmissions.MAX_INLINE_BYTES
                    + " bytes): lower it, and send larger images by uri");
        }
        if (limit >= httpLimit.asLongValue()) {
            throw new IllegalArgumentException("aidetect.router.upload-limit (" + limit + " bytes) must be below "
                    + "quarkus.http.limits.max-body-size (" + httpLimit.asLongValue() + " bytes), or uploads near "
                    + "the limit are refused without saying why: raise max-body-size");
        }
        this.producer = new KafkaProducer<>(kafka.producer(ImageSubmissions.producerSettings()),
                Topics.INGEST.keySerde().serializer(), Topics.INGEST.valueSerde().serializer());
    }

    /** The largest request {@code POST /images} takes, in bytes. */
    public long limit() {
        return limit;
    }

    /**
     * Produces each record, keyed by its image id, and waits until the broker took them all.
     *
     * @throws IllegalStateException saying what the broker did when it did not take one in time
     */
    public void send(List<ImageSubmitted> records) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        for (ImageSubmitted record : records) {
            acks.add(producer.send(new ProducerRecord<>(Topics.INGEST.name(), record.getImageId(), record)));
        }
        long deadline = System.nanoTime() + BROKER_TIMEOUT.toNanos();
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException("the broker did not take the image onto " + Topics.INGEST.name()
                        + ": " + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("the broker did not take the image onto " + Topics.INGEST.name()
                        + " within " + BROKER_TIMEOUT.toSeconds() + " s; is it reachable?", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the broker", e);
            }
        }
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
