package dev.aidetect.classifier.inference;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;

import dev.aidetect.classifier.domain.LoadedModel;
import dev.aidetect.classifier.domain.ModelInfo;
import dev.aidetect.classifier.domain.ModelSlot;
import dev.aidetect.classifier.domain.ReloadResult;
import dev.aidetect.classifier.domain.ReloadResult.Outcome;
import dev.aidetect.classifier.domain.ServedModel;
import dev.aidetect.heads.HeadDecision;
import dev.aidetect.heads.HeadMetadata;
import dev.aidetect.heads.VectorHead;

/**
 * Swaps a vector head while the service runs. The new artifact is loaded beside the serving head and checked: same
 * stage, classes, encoder and embedding size as the serving head, and a smoke prediction on a random vector gives
 * finite probabilities. Only then does it replace the serving head, in one reference swap: a record is classified
 * entirely by the head it picked up, and its verdict names that head's id and version. A head that fails a check is
 * refused with a log line and a metric, and the serving head stays. Reloads run one at a time.
 */
@ApplicationScoped
public class HeadReloader {
    private static final Logger LOG = Logger.getLogger(HeadReloader.class);
    private static final long SMOKE_SEED = 7;

    private final ModelRegistry models;
    private final MeterRegistry meters;

    public HeadReloader(ModelRegistry models, MeterRegistry meters) {
        this.models = models;
        this.meters = meters;
    }

    /**
     * @param newPath the artifact to serve from now on; empty: re-read the serving head's own location
     */
    public synchronized ReloadResult reload(ModelSlot slot, Optional<Path> newPath) {
        Optional<LoadedModel> serving = models.loaded(slot);
        if (!slot.holdsVectorHead()) {
            return finish(slot, Outcome.REFUSED, "the " + slot.description() + " is swapped by restarting with a new "
                    + slot.environmentVariable() + "; only vector heads are swapped while running");
        }
        if (serving.isEmpty()) {
            return finish(slot, Outcome.REFUSED, "the " + slot.description() + " is not serving ("
                    + models.statuses().get(slot).detail() + "); fix its configuration and restart");
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
            return finish(slot, Outcome.UNCHANGED, describe(current) + " is already serving " + path);
        }
        if (!(current.model() instanceof ServedModel.Head(VectorHead currentHead))
                || !(candidate.model() instanceof ServedModel.Head(VectorHead replacement))) {
            candidate.model().close();
            return finish(slot, Outcome.REFUSED, "refused " + path + ": the " + slot.description()
                    + " swaps vector heads only; " + describe(current) + " keeps serving");
        }
        String problem = incompatibility(slot, currentHead, replacement);
        if (problem != null) {
            return finish(slot, Outcome.REFUSED, "refused " + describe(candidate) + " from " + path + ": " + problem
                    + "; " + describe(current) + " keeps serving");
        }
        models.swap(slot, candidate);
        return finish(slot, Outcome.SWAPPED, "swapped " + describe(current) + " for " + describe(candidate)
                + " from " + path);
    }

    /** Why {@code candidate} cannot replace {@code serving} in {@code slot}, or {@code null} when it can. */
    static String incompatibility(ModelSlot slot, VectorHead serving, VectorHead candidate) {
        HeadMetadata was = serving.metadata();
        HeadMetadata is = candidate.metadata();
        if (!is.stage().name().equals(slot.stage().name())) {
            return "it is a " + is.stage() + " head, not a " + slot.stage() + " head";
        }
        if (!is.classes().equals(was.classes())) {
            return "its classes " + is.classes() + " differ from the serving head's " + was.classes();
        }
        if (!is.encoder().equals(was.encoder())) {
            return "it was trained on " + is.encoder().id() + " vectors of size " + is.encoder().embeddingSize()
                    + " but this stage receives " + was.encoder().id() + " vectors of size "
                    + was.encoder().embeddingSize() + "; train it on the pipeline's encoder";
        }
        float[] vector = new float[is.encoder().embeddingSize()];
        Random random = new Random(SMOKE_SEED);
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) random.nextGaussian();
        }
        try {
            HeadDecision smoke = candidate.classify(vector);
            double sum = smoke.scores().values().stream().mapToDouble(Double::doubleValue).sum();
            if (!Double.isFinite(smoke.score()) || Math.abs(sum - 1) > 1e-3) {
                return "its smoke prediction gave scores " + smoke.scores() + ", not probabilities";
            }
        } catch (RuntimeException e) {
            return "its smoke prediction failed: " + e;
        }
        return null;
    }

    private ReloadResult finish(ModelSlot slot, Outcome outcome, String message) {
        meters.counter("aidetect.classifier.reloads", "slot", slot.apiName(), "outcome",
                outcome.name().toLowerCase(Locale.ROOT)).increment();
        switch (outcome) {
            case SWAPPED -> LOG.infof("The %s %s", slot.description(), message);
            case UNCHANGED -> LOG.debugf("The %s: %s", slot.description(), message);
            case REFUSED, FAILED -> LOG.warnf("The %s kept its head: %s", slot.description(), message);
        }
        ModelInfo serving = models.infos().stream().filter(info -> info.slot().equals(slot.apiName()))
                .findFirst().orElseThrow();
        return new ReloadResult(slot, outcome, message, serving);
    }

    private static String describe(LoadedModel model) {
        return model.id() + " version " + model.version();
    }
}
