package dev.aidetect.classifier.inference;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;

import dev.aidetect.classifier.domain.LoadedModel;
import dev.aidetect.classifier.domain.ModelInfo;
import dev.aidetect.classifier.domain.ModelSlot;
import dev.aidetect.classifier.domain.ReloadResult;
import dev.aidetect.classifier.domain.ReloadResult.Outcome;

/**
 * Swaps any slot's model while the service runs: vector heads, attribution networks, the family network and the
 * detection network alike. The new model is loaded beside the serving one and checked before it may serve
 * ({@link ReplacementChecks}: the slot's kind, family and classes, the encoder for a head, a smoke prediction). Only
 * then does it replace the serving model, in one reference swap
 * ({@link ModelRegistry#swap}): a batch of records is decided entirely by the model it started with, the old model
 * is closed once its last batch ends, and every verdict names the model that made it. A model that fails a check is
 * closed and refused with a log line and a metric, and the serving one stays. Reloads run one at a time.
 */
@ApplicationScoped
public class ModelReloader {
    private static final Logger LOG = Logger.getLogger(ModelReloader.class);

    private final ModelRegistry models;
    private final MeterRegistry meters;

    public ModelReloader(ModelRegistry models, MeterRegistry meters) {
        this.models = models;
        this.meters = meters;
    }

    /**
     * @param newPath the artifact (head file or network directory) to serve from now on; empty: re-read the serving
     *        model's own location
     */
    public synchronized ReloadResult reload(ModelSlot slot, Optional<Path> newPath) {
        Optional<LoadedModel> serving = models.loaded(slot);
        if (serving.isEmpty()) {
            return finish(slot, Outcome.REFUSED, "the " + slot.description() + " is not serving ("
                    + models.statuses().get(slot).detail() + "); fix " + slot.environmentVariable()
                    + " and restart");
        }
        LoadedModel current = serving.get();
        Path path = newPath.orElse(current.path());
        LoadedModel candidate;
        try {
            candidate = models.open(slot, path);
        } catch (IOException | RuntimeException e) {
            return finish(slot, Outcome.FAILED, "cannot load " + path + " (" + e.getMessage() + "); "
                    + describe(current) + " keeps serving");
        }
        if (candidate.checksum().equals(current.checksum()) && path.equals(current.path())) {
            candidate.model().close();
            return finish(slot, Outcome.UNCHANGED, describe(current) + " is already serving " + path);
        }
        String problem = ReplacementChecks.incompatibility(slot, current.model(), candidate.model());
        if (problem != null) {
            candidate.model().close();
            return finish(slot, Outcome.REFUSED, "refused " + describe(candidate) + " from " + path + ": " + problem
                    + "; " + describe(current) + " keeps serving");
        }
        try {
            models.swap(slot, candidate);
        } catch (ModelUnavailableException e) {
            return finish(slot, Outcome.REFUSED, e.getMessage());
        }
        return finish(slot, Outcome.SWAPPED, "swapped " + describe(current) + " for " + describe(candidate)
                + " from " + path + ReplacementChecks.changes(current.model(), candidate.model()));
    }

    private ReloadResult finish(ModelSlot slot, Outcome outcome, String message) {
        meters.counter("aidetect.classifier.reloads", "slot", slot.apiName(), "outcome",
                outcome.name().toLowerCase(Locale.ROOT)).increment();
        switch (outcome) {
            case SWAPPED -> LOG.infof("The %s %s", slot.description(), message);
            case UNCHANGED -> LOG.debugf("The %s: %s", slot.description(), message);
            case REFUSED, FAILED -> LOG.warnf("The %s kept its model: %s", slot.description(), message);
        }
        ModelInfo serving = models.infos().stream().filter(info -> info.slot().equals(slot.apiName()))
                .findFirst().orElseThrow();
        return new ReloadResult(slot, outcome, message, serving);
    }

    private static String describe(LoadedModel model) {
        return model.id() + " version " + model.version();
    }
}
