package dev.aidetect.embedder.inference;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

import dev.aidetect.embedder.config.EmbedderConfig;
import dev.aidetect.embedding.TorchThreads;
import dev.aidetect.imaging.EncoderLoadException;
import dev.aidetect.imaging.EncoderLoader;
import dev.aidetect.imaging.ImageEncoder;
import dev.aidetect.imaging.ModelCache;

/**
 * Loads the image encoder once at start-up (from a local path, the model cache or a download, on the configured
 * device and precision), before the Kafka consumer starts, and decides how many inference threads run it. Forward
 * passes run on the caller's thread: one of the {@link MicroBatcher}'s batching threads, each of which so keeps its
 * own DJL predictor (predictors are per thread), without a hand-off to another thread. On shutdown the holder closes what uses the
 * encoder ({@link #closeFirst}) before the encoder, so no pass runs on a closed model whatever order CDI destroys
 * beans in. A load failure is logged and reported by the readiness check; batches then fail instead of being embedded
 * by no model.
 */
@ApplicationScoped
public class EncoderHolder {
    private static final Logger LOG = Logger.getLogger(EncoderHolder.class);

    private final EmbedderConfig config;
    private final List<AutoCloseable> users = new CopyOnWriteArrayList<>();
    private volatile ImageEncoder encoder;
    private volatile String failure = "the encoder has not been loaded yet";
    private volatile int inferenceThreads = 1;

    public EncoderHolder(EmbedderConfig config) {
        this.config = config;
    }

    /** Runs before SmallRye Reactive Messaging connects its channels (LIBRARY_BEFORE), so no batch finds it unloaded. */
    void load(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        try {
            // The device is known only once the engine has loaded, after its CPU threads are sized: size them for
            // the CPU's inference threads (on a GPU they only feed it).
            TorchThreads.apply(config.inferenceThreads().orElse(TorchThreads.defaultInferenceThreads(false)),
                    config.torchThreads(), config.torchInteropThreads(), config.ompWaitPolicy());
            ImageEncoder loaded = loader().load(references());
            inferenceThreads = config.inferenceThreads()
                    .orElse(TorchThreads.defaultInferenceThreads(loaded.device().isGpu()));
            encoder = loaded;
            failure = null;
            LOG.infof("Encoder %s v%s ready on %s in %s (%d dims, %s preprocessing, batches of up to %d,"
                    + " %d inference threads)", loaded.id(), loaded.version(), loaded.device(),
                    loaded.precision().label(), loaded.embeddingSize(), loaded.preprocessor().mode(),
                    config.maxBatch(), inferenceThreads);
        } catch (EncoderLoadException | RuntimeException e) {
            failure = e.getMessage() + " [settings aidetect.embedder.encoder-manifest and encoders = " + references()
                    + ", env AIDETECT_EMBEDDER_ENCODER_MANIFEST and AIDETECT_EMBEDDER_ENCODERS; device "
                    + config.device() + ", precision " + config.effectivePrecision().label() + "]";
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
        return new EncoderLoader(cache, config.device(), config.effectivePrecision());
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

    /** Threads that run forward passes side by side: the setting, or the default for the encoder's device. */
    public int inferenceThreads() {
        return inferenceThreads;
    }

    /** Embeds the first {@code count} images of {@code batch} on the calling thread. */
    public float[][] embed(float[] batch, int count) {
        return encoder().embed(batch, count);
    }

    /** Registers something that calls {@link #embed} (a batching thread), to be closed before the encoder is. */
    public void closeFirst(AutoCloseable user) {
        users.add(user);
    }

    @PreDestroy
    void close() {
        for (AutoCloseable user : users) {
            try {
                user.close();
            } catch (Exception e) {
                LOG.warnf(e, "Could not stop %s before closing the encoder; closing it anyway", user);
            }
        }
        if (encoder != null) {
            encoder.close();
        }
    }
}
