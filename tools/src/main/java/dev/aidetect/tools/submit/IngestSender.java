package dev.aidetect.tools.submit;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.aidetect.schemas.ImageSubmissions;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.KafkaClientSettings;

/**
 * Sends {@code ImageSubmitted} records to {@code images.ingest}, keyed by image id, with at most a given number of
 * image bytes read and not yet acknowledged by the broker: a caller {@linkplain #reserve reserves} room for an image
 * before it reads it, and the room is given back when the broker answers. So a folder or a topic of any size passes
 * through in bounded memory. Idempotent, {@code acks=all}.
 */
final class IngestSender implements AutoCloseable {
    private final KafkaProducer<String, ImageSubmitted> producer;
    private final int maxInFlightBytes;
    private final Semaphore room;
    private final AtomicLong inFlightBytes = new AtomicLong();
    private final AtomicLong peakInFlightBytes = new AtomicLong();

    /** Room an image takes while it waits for the broker: what {@link #reserve} took, what was actually read. */
    record Reservation(int permits, int bytes) {
    }

    IngestSender(KafkaClientSettings cluster, int maxInFlightBytes) {
        this.maxInFlightBytes = maxInFlightBytes;
        this.room = new Semaphore(maxInFlightBytes);
        Map<String, Object> settings = new HashMap<>(ImageSubmissions.producerSettings());
        // Room for the largest record the topic takes on top of the bound, so send() never blocks on memory.
        settings.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf((long) Topics.INGEST_MAX_MESSAGE_BYTES
                + maxInFlightBytes));
        this.producer = new KafkaProducer<>(cluster.producer(settings),
                Topics.INGEST.keySerde().serializer(), Topics.INGEST.valueSerde().serializer());
    }

    /**
     * Waits until {@code expectedBytes} fit within the bound (an image larger than the bound waits until nothing else
     * is in flight, then goes alone).
     */
    int reserve(long expectedBytes) {
        int permits = (int) Math.max(0, Math.min(expectedBytes, maxInFlightBytes));
        try {
            room.acquire(permits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker to take earlier images", e);
        }
        return permits;
    }

    /** Counts {@code bytes} read into memory under a reservation of {@code permits}. */
    Reservation hold(int permits, int bytes) {
        peakInFlightBytes.accumulateAndGet(inFlightBytes.addAndGet(bytes), Math::max);
        return new Reservation(permits, bytes);
    }

    /** Gives the room back without sending (the image could not be read). */
    void cancel(Reservation reservation) {
        inFlightBytes.addAndGet(-reservation.bytes());
        room.release(reservation.permits());
    }

    /** Sends the record; the room is given back when the broker answers, which completes the future. */
    CompletableFuture<Void> send(ImageSubmitted record, Reservation reservation) {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(Topics.INGEST.name(), record.getImageId(), record),
                    (metadata, failure) -> {
                        cancel(reservation);
                        if (failure == null) {
                            ack.complete(null);
                        } else {
                            ack.completeExceptionally(failure);
                        }
                    });
        } catch (RuntimeException e) {
            cancel(reservation);
            ack.completeExceptionally(e);
        }
        return ack;
    }

    /** The most bytes of read images that waited for the broker at once so far. */
    long peakInFlightBytes() {
        return peakInFlightBytes.get();
    }

    void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
