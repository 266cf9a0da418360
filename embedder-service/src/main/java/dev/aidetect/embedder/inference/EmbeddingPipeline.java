package dev.aidetect.embedder.inference;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.aidetect.embedder.config.EmbedderConfig;
import dev.aidetect.embedder.domain.EmbeddingResults;
import dev.aidetect.embedder.domain.PreparedImage;
import dev.aidetect.embedder.domain.ResultSink;
import dev.aidetect.embedder.domain.Submission;
import dev.aidetect.embedder.metrics.EmbedderMetrics;
import dev.aidetect.embedding.DecodeThreads;
import dev.aidetect.embedding.MicroBatcher;
import dev.aidetect.imaging.ImageEncoder;
import dev.aidetect.imaging.ImageRejectedException;
import dev.aidetect.schemas.EmbeddingTimings;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.ModelRef;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Rejections;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.Topics;

/**
 * Embeds the submissions of a poll: decodes and preprocesses each in parallel on the decode executor into a pooled
 * input array, hands it to the {@link MicroBatcher}, which runs forward passes of up to {@code max-batch} images (from
 * this poll and any other in flight) on its inference threads after at most {@code max-wait}. Produces one embedding or
 * one rejection per submission, each published as soon as it exists. Safe to call from several poll threads at once.
 */
@ApplicationScoped
public class EmbeddingPipeline {
    private static final Logger LOG = Logger.getLogger(EmbeddingPipeline.class);

    private final EncoderHolder holder;
    private final ImagePreparer preparer;
    private final EmbedderMetrics metrics;
    private final EmbedderConfig config;
    private final ExecutorService decodeExecutor;
    private MicroBatcher batcher;

    public EmbeddingPipeline(EncoderHolder holder, ImagePreparer preparer, EmbedderMetrics metrics,
            EmbedderConfig config) {
        this.holder = holder;
        this.preparer = preparer;
        this.metrics = metrics;
        this.config = config;
        int threads = config.decodeThreads().orElse(Runtime.getRuntime().availableProcessors());
        this.decodeExecutor = Executors.newFixedThreadPool(threads,
                DecodeThreads.factory("embedder-decode-", config.decodeNice()));
    }

    /**
     * Hands each submission's embedding or rejection to {@code sink} as soon as it exists, and returns once the broker
     * has acknowledged all of them.
     *
     * @throws java.util.concurrent.CompletionException when a send failed
     */
    public EmbeddingResults embed(List<Submission> submissions, ResultSink sink) {
        ImageEncoder encoder = holder.encoder();
        MicroBatcher batches = batcher(encoder);
        List<ImageEmbedding> embeddings = Collections.synchronizedList(new ArrayList<>());
        Rejected rejected = new Rejected(sink);
        CompletableFuture<?>[] outcomes = submissions.stream()
                .map(submission -> CompletableFuture
                        .supplyAsync(() -> prepare(submission, encoder, batches, rejected), decodeExecutor)
                        .thenCompose(prepared -> prepared == null
                                ? CompletableFuture.<Void>completedFuture(null)
                                : batches.offer(prepared.input()).thenCompose(embedded -> {
                                    ImageEmbedding embedding = toEmbedding(prepared.image(), embedded, encoder);
                                    embeddings.add(embedding);
                                    return sink.embedded(embedding);
                                })))
                .toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(outcomes).join();
        // Every rejection was handed over during decoding, which the outcomes include.
        CompletableFuture.allOf(rejected.sends.toArray(CompletableFuture[]::new)).join();
        return new EmbeddingResults(embeddings, rejected.records);
    }

    /** The rejections of one call and their sends. */
    private record Rejected(ResultSink sink, List<ImageRejected> records, List<CompletableFuture<Void>> sends) {
        Rejected(ResultSink sink) {
            this(sink, Collections.synchronizedList(new ArrayList<>()),
                    Collections.synchronizedList(new ArrayList<>()));
        }

        void add(ImageRejected rejection) {
            records.add(rejection);
            sends.add(sink.rejected(rejection));
        }
    }

    private synchronized MicroBatcher batcher(ImageEncoder encoder) {
        if (batcher == null) {
            batcher = new MicroBatcher(encoder.preprocessor().floatsPerImage(), config.maxBatch(), config.maxWait(),
                    holder.inferenceThreads(), holder::embed, pass -> metrics.recordBatch(pass.size(), pass.micros()));
            // The holder stops this batcher's threads before it closes the encoder they call.
            holder.closeFirst(batcher);
        }
        return batcher;
    }

    private record Prepared(PreparedImage image, float[] input) {
    }

    /** Decodes one submission into a borrowed input array; null (and a rejection) when it has no usable image. */
    private Prepared prepare(Submission submission, ImageEncoder encoder, MicroBatcher batches, Rejected rejections) {
        float[] input;
        try {
            input = batches.borrow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a free input buffer", e);
        }
        Prepared prepared = null;
        try {
            // One image per input array: its slot is always 0.
            prepared = new Prepared(preparer.prepare(submission.record(), encoder.preprocessor(), input,
                    new AtomicInteger()), input);
        } catch (ImageRejectedException e) {
            reject(submission, e.reason(), e.getMessage(), rejections);
        } catch (RuntimeException e) {
            // A bug on one image must not stop the consumer on it forever: refuse the image, keep the evidence.
            LOG.errorf(e, "Unexpected failure preparing image %s", submission.record().getImageId());
            reject(submission, RejectReason.INTERNAL_ERROR,
                    "the embedder failed on this image (" + e + "); report it with the payload", rejections);
        } finally {
            if (prepared == null) {
                // Given back even when an Error escapes, so the pool never runs dry and blocks the decode threads.
                batches.release(input);
            }
        }
        return prepared;
    }

    private void reject(Submission submission, RejectReason reason, String message, Rejected rejections) {
        ImageSubmitted record = submission.record();
        rejections.add(Rejections.of(Stage.EMBEDDING, Topics.INGEST.name(), record.getImageId(), reason, message,
                submission.original(), record.getLabel()));
        metrics.rejected(reason);
        LOG.debugf("Rejected %s (%s): %s", record.getImageId(), reason, message);
    }

    private ImageEmbedding toEmbedding(PreparedImage image, MicroBatcher.Embedded embedded, ImageEncoder encoder) {
        metrics.recordQueue(embedded.queueMicros());
        List<Float> vector = new ArrayList<>(embedded.vector().length);
        for (float value : embedded.vector()) {
            vector.add(value);
        }
        return ImageEmbedding.newBuilder()
                .setImageId(image.submission().getImageId())
                .setEncodedBy(new ModelRef(encoder.id(), encoder.version()))
                .setVector(vector)
                .setWidth(image.width())
                .setHeight(image.height())
                .setFormat(image.format())
                .setDecodeScale(image.decodeScale())
                .setPixelDecoder(image.decoder().id())
                .setSubmittedAt(image.submission().getSubmittedAt())
                .setEmbeddedAt(Instant.now())
                .setTimings(new EmbeddingTimings(image.decodeMicros(), image.preprocessMicros(),
                        embedded.queueMicros(), embedded.pass().micros(), embedded.pass().size()))
                .setLabel(image.submission().getLabel())
                .build();
    }

    @PreDestroy
    synchronized void close() {
        if (batcher != null) {
            batcher.close();
        }
        decodeExecutor.shutdownNow();
    }
}
