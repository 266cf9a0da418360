package dev.aidetect.embedder.inference;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
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
import dev.aidetect.embedder.domain.Submission;
import dev.aidetect.embedder.metrics.EmbedderMetrics;
import dev.aidetect.imaging.ImageEncoder;
import dev.aidetect.imaging.ImageRejectedException;
import dev.aidetect.imaging.Preprocessor;
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
 * Embeds a micro-batch of submissions: splits it into chunks of at most {@code max-batch} images, decodes and
 * preprocesses each chunk in parallel on the decode executor into one of two reused batch buffers, and runs one forward
 * pass per chunk on the inference thread, so the next chunk decodes while the previous one runs. Produces one
 * embedding or one rejection per submission.
 */
@ApplicationScoped
public class EmbeddingPipeline {
    private static final Logger LOG = Logger.getLogger(EmbeddingPipeline.class);

    private final EncoderHolder holder;
    private final ImagePreparer preparer;
    private final EmbedderMetrics metrics;
    private final int maxBatch;
    private final ExecutorService decodeExecutor;
    /** Two batch buffers: one fills while the other is in a forward pass. */
    private final BatchBuffer[] buffers = {new BatchBuffer(), new BatchBuffer()};

    public EmbeddingPipeline(EncoderHolder holder, ImagePreparer preparer, EmbedderMetrics metrics,
            EmbedderConfig config) {
        this.holder = holder;
        this.preparer = preparer;
        this.metrics = metrics;
        this.maxBatch = config.maxBatch();
        int threads = config.decodeThreads().orElse(Runtime.getRuntime().availableProcessors());
        this.decodeExecutor = Executors.newFixedThreadPool(threads,
                Thread.ofPlatform().name("embedder-decode-", 0).daemon().factory());
    }

    /** Not reentrant (the batch buffers are shared), hence synchronized; the consumer calls it one poll at a time. */
    public synchronized EmbeddingResults embed(List<Submission> submissions) {
        ImageEncoder encoder = holder.encoder();
        List<ImageRejected> rejections = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<List<ImageEmbedding>>> chunks = new ArrayList<>();
        for (int start = 0, chunk = 0; start < submissions.size(); start += maxBatch, chunk++) {
            BatchBuffer buffer = buffers[chunk % 2];
            buffer.awaitFree();
            List<PreparedImage> prepared = prepare(
                    submissions.subList(start, Math.min(start + maxBatch, submissions.size())), encoder, buffer,
                    rejections);
            if (!prepared.isEmpty()) {
                // Slots are taken in completion order; one taken by an image that then failed is embedded unused.
                int passSize = prepared.stream().mapToInt(PreparedImage::slot).max().getAsInt() + 1;
                CompletableFuture<List<ImageEmbedding>> embedded = holder
                        .embed(buffer.floats(encoder.preprocessor()), passSize)
                        .thenApply(inference -> toEmbeddings(prepared, inference, encoder));
                buffer.inUseUntil(embedded);
                chunks.add(embedded);
            }
        }
        List<ImageEmbedding> embeddings = new ArrayList<>();
        chunks.forEach(chunk -> embeddings.addAll(chunk.join()));
        return new EmbeddingResults(embeddings, rejections);
    }

    private List<PreparedImage> prepare(List<Submission> chunk, ImageEncoder encoder, BatchBuffer buffer,
            List<ImageRejected> rejections) {
        Preprocessor preprocessor = encoder.preprocessor();
        float[] floats = buffer.floats(preprocessor);
        AtomicInteger slots = new AtomicInteger();
        List<CompletableFuture<PreparedImage>> tasks = chunk.stream()
                .map(submission -> CompletableFuture.supplyAsync(() -> {
                    try {
                        return preparer.prepare(submission.record(), preprocessor, floats, slots);
                    } catch (ImageRejectedException e) {
                        reject(submission, e.reason(), e.getMessage(), rejections);
                    } catch (RuntimeException e) {
                        // A bug on one image must not stop the consumer on it forever: refuse the image, keep the evidence.
                        LOG.errorf(e, "Unexpected failure preparing image %s", submission.record().getImageId());
                        reject(submission, RejectReason.INTERNAL_ERROR,
                                "the embedder failed on this image (" + e + "); report it with the payload",
                                rejections);
                    }
                    return null;
                }, decodeExecutor)).toList();
        return tasks.stream().map(CompletableFuture::join).filter(Objects::nonNull).toList();
    }

    private void reject(Submission submission, RejectReason reason, String message, List<ImageRejected> rejections) {
        ImageSubmitted record = submission.record();
        rejections.add(Rejections.of(Stage.EMBEDDING, Topics.INGEST.name(), record.getImageId(), reason, message,
                submission.original(), record.getLabel()));
        metrics.rejected(reason);
        LOG.debugf("Rejected %s (%s): %s", record.getImageId(), reason, message);
    }

    private List<ImageEmbedding> toEmbeddings(List<PreparedImage> prepared, EncoderHolder.Inference inference,
            ImageEncoder encoder) {
        int passSize = inference.vectors().length;
        metrics.recordBatch(passSize, inference.micros());
        Instant now = Instant.now();
        ModelRef encodedBy = new ModelRef(encoder.id(), encoder.version());
        return prepared.stream().map(image -> {
            ImageEmbedding.Builder embedding = ImageEmbedding.newBuilder()
                    .setImageId(image.submission().getImageId())
                    .setEncodedBy(encodedBy)
                    .setVector(floats(inference.vectors()[image.slot()]))
                    .setWidth(image.width())
                    .setHeight(image.height())
                    .setFormat(image.format())
                    .setSubmittedAt(image.submission().getSubmittedAt())
                    .setEmbeddedAt(now)
                    .setTimings(new EmbeddingTimings(image.decodeMicros(), image.preprocessMicros(),
                            Math.max(0, (inference.startNanos() - image.preparedAtNanos()) / 1000), inference.micros(),
                            passSize))
                    .setLabel(image.submission().getLabel());
            return embedding.build();
        }).toList();
    }

    private static List<Float> floats(float[] vector) {
        List<Float> list = new ArrayList<>(vector.length);
        for (float value : vector) {
            list.add(value);
        }
        return list;
    }

    @PreDestroy
    void close() {
        decodeExecutor.shutdownNow();
    }

    /** A reusable input buffer of {@code max-batch} images and the forward pass that reads it. */
    private final class BatchBuffer {
        private float[] floats;
        private CompletableFuture<?> inUse = CompletableFuture.completedFuture(null);

        float[] floats(Preprocessor preprocessor) {
            if (floats == null) {
                floats = new float[maxBatch * preprocessor.floatsPerImage()];
            }
            return floats;
        }

        void inUseUntil(CompletableFuture<?> pass) {
            inUse = pass;
        }

        void awaitFree() {
            inUse.exceptionally(e -> null).join();
        }
    }
}
