package dev.aidetect.embedder.inference;

import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

import dev.aidetect.embedder.config.EmbedderConfig;
import dev.aidetect.embedder.metrics.EmbedderMetrics;
import dev.aidetect.embedding.EmbeddingEngine;
import dev.aidetect.embedding.EngineSettings;
import dev.aidetect.fetch.ImageFetcher;
import dev.aidetect.imaging.encoder.EncoderLoadException;
import dev.aidetect.imaging.encoder.ImageEncoder;

/**
 * The service's one {@link EmbeddingEngine}, built from {@link EmbedderConfig}, fetching uris with the shared
 * {@link ImageFetcher} (the {@code fetch} module, set up from {@code aidetect.embedder.fetch.*} and {@code max-bytes})
 * and reporting to {@link EmbedderMetrics}. Created at start-up, so a JPEG decoder the machine
 * lacks ({@code aidetect.embedder.jpeg-decoder}) stops the start; loads the encoder before the Kafka consumer starts.
 * A load failure is logged and reported by the readiness check, with the settings to look at; calls then fail
 * instead of being embedded by no model. Closes the engine, then the fetcher, on shutdown.
 */
@ApplicationScoped
public class EngineHolder {
    private static final Logger LOG = Logger.getLogger(EngineHolder.class);

    private final EngineSettings settings;
    private final ImageFetcher fetcher;
    private final EmbeddingEngine engine;
    private volatile String failure = "the encoder has not been loaded yet";

    public EngineHolder(EmbedderConfig config, EmbedderMetrics metrics) {
        this.settings = config.engineSettings();
        this.fetcher = new ImageFetcher(config.fetchSettings());
        this.engine = new EmbeddingEngine(settings, fetcher::fetch, metrics);
    }

    /** Runs before SmallRye Reactive Messaging connects its channels (LIBRARY_BEFORE), so no poll finds it unloaded. */
    void load(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        try {
            engine.load();
            failure = null;
        } catch (EncoderLoadException | RuntimeException e) {
            failure = e.getMessage() + " [settings aidetect.embedder.encoder-manifest and encoders = "
                    + settings.encoders() + ", env AIDETECT_EMBEDDER_ENCODER_MANIFEST and AIDETECT_EMBEDDER_ENCODERS;"
                    + " device " + settings.device() + ", precision " + settings.precision().label() + "]";
            LOG.errorf(e, "NOT READY: no image will be embedded, the encoder failed to load: %s", failure);
        }
    }

    /** Why the encoder is not usable, or empty when it is loaded. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** @throws IllegalStateException when the encoder did not load */
    public EmbeddingEngine engine() {
        String why = failure;
        if (why != null) {
            throw new IllegalStateException("no encoder to embed with: " + why);
        }
        return engine;
    }

    /** @throws IllegalStateException when the encoder did not load */
    public ImageEncoder encoder() {
        return engine().encoder();
    }

    @PreDestroy
    void close() {
        engine.close();
        fetcher.close();
    }
}
