package dev.aidetect.embedder.inference;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

import dev.aidetect.embedder.config.EmbedderConfig;
import dev.aidetect.imaging.EncoderLoadException;
import dev.aidetect.imaging.EncoderLoader;
import dev.aidetect.imaging.ImageEncoder;
import dev.aidetect.imaging.ModelCache;

/**
 * Loads the image encoder once at start-up (from a local path, the model cache or a download, on the configured
 * device and precision), before the Kafka consumer starts, and runs every forward pass on one
 * inference thread (DJL predictors are per thread; one thread keeps exactly one predictor and serialises access to
 * the GPU). A load failure is logged and reported by the readiness check; batches then fail instead of being
 * embedded by no model.
 */
@ApplicationScoped
public class EncoderHolder {
    private static final Logger LOG = Logger.getLogger(EncoderHolder.class);

    /** The result of one forward pass and when it ran. */
    public record Inference(float[][] vectors, long startNanos, long micros) {
    }

    private final EmbedderConfig config;
    private final ExecutorService inferenceThread = Executors
            .newSingleThreadExecutor(Thread.ofPlatform().name("embedder-inference").daemon().factory());
    private volatile ImageEncoder encoder;
    private volatile String failure = "the encoder has not been loaded yet";

    public EncoderHolder(EmbedderConfig config) {
        this.config = config;
    }

    /** Runs before SmallRye Reactive Messaging connects its channels (LIBRARY_BEFORE), so no batch finds it unloaded. */
    void load(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        try {
            encoder = loader().load(references());
            failure = null;
            LOG.infof("Encoder %s v%s ready on %s in %s (%d dims, %s preprocessing, batches of up to %d)",
                    encoder.id(), encoder.version(), encoder.device(), encoder.fp16() ? "float16" : "float32",
                    encoder.embeddingSize(), encoder.preprocessor().mode(), config.maxBatch());
        } catch (EncoderLoadException | RuntimeException e) {
            failure = e.getMessage() + " [settings aidetect.embedder.encoder-manifest and encoders = " + references()
                    + ", env AIDETECT_EMBEDDER_ENCODER_MANIFEST and AIDETECT_EMBEDDER_ENCODERS; device "
                    + config.device() + ", fp16 " + config.fp16() + "]";
            LOG.errorf(e, "NOT READY: no image will be embedded, the encoder failed to load: %s", failure);
        }
    }

    /** encoder-manifest, then the encoders run side by side with it. */
    private List<String> references() {
        List<String> references = new ArrayList<>(List.of(config.encoderManifest()));
        config.encoders().ifPresent(references::addAll);
        return references;
    }

    private EncoderLoader loader() {
        ModelCache cache = new ModelCache(config.modelCache().orElseGet(ModelCache::defaultRoot),
                config.modelAllowPlainHttp(), Duration.ofSeconds(30));
        return new EncoderLoader(cache, config.device(), config.fp16());
    }

    /** Why the encoder is not usable, or empty when it is loaded. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** @throws IllegalStateException when the encoder did not load */
    public ImageEncoder encoder() {
        ImageEncoder loaded = encoder;
        if (loaded == null) {
            throw new IllegalStateException("no encoder to embed with: " + failure);
        }
        return loaded;
    }

    /** Embeds the first {@code count} images of {@code batch} on the inference thread. */
    public CompletableFuture<Inference> embed(float[] batch, int count) {
        ImageEncoder loaded = encoder();
        return CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            float[][] vectors = loaded.embed(batch, count);
            return new Inference(vectors, start, (System.nanoTime() - start) / 1000);
        }, inferenceThread);
    }

    @PreDestroy
    void close() throws InterruptedException {
        inferenceThread.shutdown();
        if (!inferenceThread.awaitTermination(30, TimeUnit.SECONDS)) {
            LOG.warn("A forward pass was still running after 30 s; closing the encoder under it");
        }
        if (encoder != null) {
            encoder.close();
        }
    }
}
