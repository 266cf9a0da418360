package dev.aidetect.embedder.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;

import dev.aidetect.embedding.EmbeddingListener;
import dev.aidetect.schemas.RejectReason;

/**
 * The embedder's figures on {@code /q/metrics}: {@code aidetect_embedder_images_embedded_total},
 * {@code aidetect_embedder_images_rejected_total} by reason, {@code aidetect_embedder_batch_size} (images per forward
 * pass), and the timers {@code aidetect_embedder_decode_seconds}, {@code aidetect_embedder_preprocess_seconds},
 * {@code aidetect_embedder_queue_seconds} (per image: waiting for its forward pass; a histogram, as the queue is what
 * grows first under load) and
 * {@code aidetect_embedder_inference_seconds} (per forward pass). Registered at start-up, so dashboards see zeros
 * before the first image.
 */
@Startup
@Singleton
public class EmbedderMetrics implements EmbeddingListener {
    private final MeterRegistry registry;
    private final Counter embedded;
    private final DistributionSummary batchSize;
    private final Timer decode;
    private final Timer preprocess;
    private final Timer queue;
    private final Timer inference;

    public EmbedderMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.embedded = Counter.builder("aidetect.embedder.images.embedded")
                .description("Images embedded and published").register(registry);
        this.batchSize = DistributionSummary.builder("aidetect.embedder.batch.size")
                .description("Images per forward pass")
                .publishPercentileHistogram().serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64).register(registry);
        this.decode = Timer.builder("aidetect.embedder.decode").description("Decoding one image").register(registry);
        this.preprocess = Timer.builder("aidetect.embedder.preprocess")
                .description("Resizing and normalising one image").register(registry);
        this.queue = Timer.builder("aidetect.embedder.queue")
                .description("One preprocessed image waiting for its forward pass")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(1)).register(registry);
        this.inference = Timer.builder("aidetect.embedder.inference").description("One forward pass of the encoder")
                .register(registry);
    }

    @Override
    public void recordDecode(long decodeNanos, long preprocessNanos) {
        decode.record(decodeNanos, TimeUnit.NANOSECONDS);
        preprocess.record(preprocessNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void recordQueue(long queueMicros) {
        queue.record(queueMicros, TimeUnit.MICROSECONDS);
    }

    @Override
    public void recordBatch(int images, long inferenceMicros) {
        batchSize.record(images);
        inference.record(inferenceMicros, TimeUnit.MICROSECONDS);
    }

    public void embedded(int images) {
        embedded.increment(images);
    }

    @Override
    public void rejected(RejectReason reason) {
        Counter.builder("aidetect.embedder.images.rejected").description("Inputs refused, by reason")
                .tag("reason", reason.name()).register(registry).increment();
    }
}
