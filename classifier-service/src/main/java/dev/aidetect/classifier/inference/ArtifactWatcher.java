package dev.aidetect.classifier.inference;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

import dev.aidetect.classifier.config.ClassifierConfig;
import dev.aidetect.classifier.domain.LoadedModel.FileStamp;
import dev.aidetect.classifier.domain.ModelSlot;

/**
 * Watches each serving model's artifact (a head's file, a network's directory) and reloads the slot when a new one has
 * been moved into place: a file or directory renamed over it, a symbolic link re-pointed, or a network's files
 * rewritten (the stamp covers the directory and every file in it). Polls every
 * {@code aidetect.classifier.reload-interval}; an artifact that was refused or could not be read (a directory caught
 * half-written) is not tried again until it changes once more.
 */
@ApplicationScoped
public class ArtifactWatcher {
    private static final Logger LOG = Logger.getLogger(ArtifactWatcher.class);

    private final ModelRegistry models;
    private final ModelReloader reloader;
    private final Duration interval;
    private final Map<ModelSlot, FileStamp> tried = new ConcurrentHashMap<>();
    private ScheduledExecutorService poller;

    public ArtifactWatcher(ModelRegistry models, ModelReloader reloader, ClassifierConfig config) {
        this.models = models;
        this.reloader = reloader;
        this.interval = config.reloadInterval();
    }

    void start(@Observes StartupEvent event) {
        if (interval.isZero() || interval.isNegative()) {
            LOG.info("Model artifacts are not watched (aidetect.classifier.reload-interval=0); use POST /models/"
                    + "{slot}/reload to swap a model");
            return;
        }
        poller = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("classifier-artifact-watcher").daemon().factory());
        poller.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One look at every serving model's artifact; reloads those that changed since they were loaded or last tried. */
    void poll() {
        for (ModelSlot slot : ModelSlot.values()) {
            models.loaded(slot).ifPresent(current -> {
                FileStamp now = ArtifactFiles.stamp(current.path());
                // Missing for a moment while a new file is moved in; unchanged since loaded; or refused before.
                if (now == null || now.equals(current.stamp()) || now.equals(tried.get(slot))) {
                    return;
                }
                tried.put(slot, now);
                try {
                    reloader.reload(slot, Optional.empty());
                } catch (RuntimeException e) {
                    // Keep polling: a scheduled task that throws is never run again.
                    LOG.errorf(e, "Reloading the %s from %s failed; the serving model stays", slot.description(),
                            current.path());
                }
            });
        }
    }

    @PreDestroy
    void stop() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }
}
