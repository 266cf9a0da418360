package dev.aidetect.embedding;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.aidetect.imaging.decode.ImageRejectedException;
import dev.aidetect.imaging.encoder.ImageEncoder;
import dev.aidetect.schemas.EmbeddingTimings;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageRef;
import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.ModelRef;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Rejections;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.Topics;

/**
 * Embeds the submissions of a call: decodes and preprocesses each in parallel on the decode executor into a pooled
 * input array, hands it to the {@link MicroBatcher}, which runs forward passes of up to {@code max-batch} images (from
 * this call and any other in flight) on its inference threads after at most {@code max-wait}. Produces one embedding or
 * one rejection per submission, each handed over as soon as it exists. Safe to call from several threads at once.
 */
final class EmbeddingPipeline implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EmbeddingPipeline.class.getName());

    private final ImageEncoder encoder;
    private final ImagePreparer preparer;
    private final EmbeddingListener listener;
    private final ExecutorService decodeExecutor;
    private final MicroBatcher batcher;

    /** Starts the decode threads and the batching threads, one per inference thread, each running its own passes. */
    EmbeddingPipeline(ImageEncoder encoder, ImagePreparer preparer, EmbeddingListener listener,
            EngineSettings settings, int inferenceThreads) {
        this.encoder = encoder;
        this.preparer = preparer;
        this.listener = listener;
        this.batcher = new MicroBatcher(encoder.preprocessor().floatsPerImage(), settings.maxBatch(),
                settings.maxWait(), inferenceThreads, encoder::embed,
                pass -> listener.recordBatch(pass.size(), pass.micros()));
        this.decodeExecutor = Executors.newFixedThreadPool(settings.decodeThreadCount(),
                DecodeThreads.factory("embedder-decode-", settings.decodeNice()));
    }

    /**
     * Hands each submission's embedding or rejection to {@code sink} as soon as it exists, and returns once the sink
     * has completed all of them (in the service: once the broker has acknowledged them).
     *
     * @throws java.util.concurrent.CompletionException when a send failed
     */
    EmbeddingResults embed(List<Submission> submissions, ResultSink sink) {
        List<ImageEmbedding> embeddings = Collections.synchronizedList(new ArrayList<>());
        Rejected rejected = new Rejected(sink);
        CompletableFuture<?>[] outcomes = submissions.stream()
                .map(submission -> CompletableFuture
                        .supplyAsync(() -> prepare(submission, rejected), decodeExecutor)
                        .thenCompose(prepared -> prepared == null
                                ? CompletableFuture.<Void>completedFuture(null)
                                : batcher.offer(prepared.input()).thenCompose(embedded -> {
                                    ImageEmbedding embedding = toEmbedding(prepared.image(), embedded,
                                            submission.location());
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

    private record Prepared(PreparedImage image, float[] input) {
    }

    /**
     * Decodes one submission, then preprocesses it into an input array borrowed once it has decoded; null (and a
     * rejection) when it has no usable image.
     */
    private Prepared prepare(Submission submission, Rejected rejections) {
        float[][] borrowed = new float[1][];
        Prepared prepared = null;
        try {
            // One image per input array: its slot is always 0.
            prepared = new Prepared(preparer.prepare(submission.record(), encoder.preprocessor(),
                    () -> borrowed[0] = batcher.borrow(), new AtomicInteger()), borrowed[0]);
        } catch (ImageRejectedException e) {
            reject(submission, e.reason(), e.getMessage(), rejections);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a free input buffer", e);
        } catch (RuntimeException e) {
            // A bug on one image must not stop the consumer on it forever: refuse the image, keep the evidence.
            LOG.log(Level.ERROR, "Unexpected failure preparing image " + submission.record().getImageId(), e);
            reject(submission, RejectReason.INTERNAL_ERROR,
                    "the embedder failed on this image (" + e + "); report it with the payload", rejections);
        } finally {
            if (prepared == null && borrowed[0] != null) {
                // Given back even when an Error escapes, so the pool never runs dry and blocks the decode threads.
                batcher.release(borrowed[0]);
            }
        }
        return prepared;
    }

    private void reject(Submission submission, RejectReason reason, String message, Rejected rejections) {
        ImageSubmitted record = submission.record();
        rejections.add(Rejections.of(Stage.EMBEDDING, Topics.INGEST.name(), record.getImageId(), reason, message,
                submission.original(), record.getLabel()));
        listener.rejected(reason);
        // Not the message: it may quote the payload's first bytes (NOT_AN_IMAGE); images.rejected carries it.
        LOG.log(Level.DEBUG, "Rejected {0} ({1})", record.getImageId(), reason);
    }

    private ImageEmbedding toEmbedding(PreparedImage image, MicroBatcher.Embedded embedded, ImageRef location) {
        listener.recordQueue(embedded.queueMicros());
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
                .setOriginal(location)
                .build();
    }

    /** Stops the batching threads after their running passes (so the encoder may then be closed), then decoding. */
    @Override
    public void close() {
        batcher.close();
        decodeExecutor.shutdownNow();
    }
}
