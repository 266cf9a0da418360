package dev.aidetect.embedding;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;

import dev.aidetect.imaging.encoder.EncoderLoadException;
import dev.aidetect.imaging.encoder.EncoderLoader;
import dev.aidetect.imaging.encoder.ImageEncoder;
import dev.aidetect.imaging.encoder.ModelCache;

/**
 * The embedder's hot path, framework-free: takes {@link Submission}s (an {@code ImageSubmitted} with inline content or
 * a uri), decodes and preprocesses each on the decode threads into a pooled input array, micro-batches them
 * ({@link MicroBatcher}) onto the inference threads, each of which runs forward passes with its own DJL predictor
 * (predictors are per thread) and batch buffer, and hands each {@code ImageEmbedding} or {@code ImageRejected} to a
 * {@link ResultSink} as soon as it exists. The embedder-service wraps it (configuration, Kafka, health, metrics);
 * {@code aidetect bench embed} runs it as it is.
 *
 * <p>
 * Two steps, so a caller can tell a bad setting from a missing model: the constructor checks what the machine must
 * have (the JPEG decoder) and starts nothing; {@link #load()} sizes libtorch's CPU threads (before DJL loads the
 * engine, which reads them once), loads the encoder (from a local path, the model cache or a download, on the
 * configured device and precision) and starts the decode and batching threads. {@link #close()} stops the batching
 * threads after their running passes, then closes the encoder, so no pass runs on a closed model.
 */
public final class EmbeddingEngine implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EmbeddingEngine.class.getName());

    private final EngineSettings settings;
    private final ImagePreparer preparer;
    private final EmbeddingListener listener;
    private volatile ImageEncoder encoder;
    private volatile EmbeddingPipeline pipeline;
    private volatile int inferenceThreads;
    private boolean closed;

    /**
     * @param fetcher reads the submissions that name an {@code image.uri} instead of carrying their content
     * @param listener told of every decode, pass, wait and rejection
     * @throws IllegalStateException when this machine lacks the JPEG decoder the settings insist on
     * @throws IllegalArgumentException when the settings name no JPEG decoder there is
     */
    public EmbeddingEngine(EngineSettings settings, UriFetcher fetcher, EmbeddingListener listener) {
        this.settings = settings;
        this.preparer = new ImagePreparer(settings, fetcher, listener);
        this.listener = listener;
    }

    /**
     * Loads the encoder and starts the threads that run it; the engine embeds from then on.
     *
     * @throws EncoderLoadException when the encoder cannot be found, fetched, verified or loaded
     * @throws IllegalStateException when the engine has loaded or closed already
     */
    public synchronized void load() throws EncoderLoadException {
        if (encoder != null || closed) {
            throw new IllegalStateException("the embedding engine loads once: it has " + (closed
                    ? "closed"
                    : "loaded already"));
        }
        // The device is known only once the encoder has loaded, after its CPU threads are sized: size them for the
        // CPU's inference threads (on a GPU they only feed it).
        TorchThreads.apply(settings.inferenceThreads().orElse(TorchThreads.defaultInferenceThreads(false)),
                settings.torchThreads(), settings.torchInteropThreads(), settings.ompWaitPolicy());
        ImageEncoder loaded = loader().load(settings.encoders());
        int threads = settings.inferenceThreads().orElse(TorchThreads.defaultInferenceThreads(loaded.device().isGpu()));
        try {
            pipeline = new EmbeddingPipeline(loaded, preparer, listener, settings, threads);
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
        inferenceThreads = threads;
        encoder = loaded;
        LOG.log(Level.INFO, "Encoder {0} v{1} ready on {2} in {3} ({4} dims, {5} preprocessing, batches of up to {6},"
                + " {7} inference threads)", loaded.id(), loaded.version(), loaded.device(),
                loaded.precision().label(), loaded.embeddingSize(), loaded.preprocessor().mode(), settings.maxBatch(),
                threads);
    }

    private EncoderLoader loader() {
        ModelCache cache = new ModelCache(settings.modelCache(), settings.modelAllowPlainHttp(),
                Duration.ofSeconds(30));
        return new EncoderLoader(cache, settings.device(), settings.precision());
    }

    /**
     * Embeds {@code submissions}, handing each one's embedding or rejection to {@code sink} as soon as it exists, and
     * returns once the sink has completed every one. Safe to call from several threads at once: the images of calls in
     * flight together share forward passes.
     *
     * @throws IllegalStateException when the encoder has not loaded
     * @throws java.util.concurrent.CompletionException when the sink failed one
     */
    public EmbeddingResults embed(List<Submission> submissions, ResultSink sink) {
        EmbeddingPipeline running = pipeline;
        if (running == null) {
            throw new IllegalStateException("the embedding engine has no encoder: load() it first");
        }
        return running.embed(submissions, sink);
    }

    /** @throws IllegalStateException when the encoder has not loaded */
    public ImageEncoder encoder() {
        ImageEncoder loaded = encoder;
        if (loaded == null) {
            throw new IllegalStateException("the embedding engine has no encoder: load() it first");
        }
        return loaded;
    }

    /** What turns a submission into encoder input, as {@link #embed} does it (decode limits, JPEG decoder, draft). */
    public ImagePreparer preparer() {
        return preparer;
    }

    /** Threads running forward passes side by side: the setting, or the default for the encoder's device. */
    public int inferenceThreads() {
        encoder();
        return inferenceThreads;
    }

    /**
     * Stops the batching threads after the passes they are running (images still waiting fail), then decoding, then
     * closes the encoder. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (pipeline != null) {
            pipeline.close();
        }
        if (encoder != null) {
            encoder.close();
        }
    }
}
