package dev.aidetect.classifier.inference;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.aidetect.classifier.config.ClassifierConfig;
import dev.aidetect.classifier.domain.ModelSlot;
import dev.aidetect.classifier.domain.ModelStatus;
import dev.aidetect.classifier.domain.ModelStatus.State;
import dev.aidetect.heads.AttributionNetwork;
import dev.aidetect.heads.VectorHead;

/**
 * Holds the classifier's models: loads each configured one once, keeps its status for readiness, and closes the
 * networks on shutdown. A model is handed out only once loaded; a stage whose model is missing is never served.
 */
@ApplicationScoped
public class ModelRegistry {
    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);

    private final Map<ModelSlot, Optional<Path>> locations = new EnumMap<>(ModelSlot.class);
    private final ClassifierConfig.Attribution attribution;
    private final Map<ModelSlot, ModelStatus> statuses = new ConcurrentHashMap<>();
    private final Map<ModelSlot, Object> models = new ConcurrentHashMap<>();

    public ModelRegistry(ClassifierConfig config) {
        this.attribution = config.attribution();
        locations.put(ModelSlot.DETECTION_HEAD, config.detectionHead());
        locations.put(ModelSlot.FAMILY_HEAD, config.familyHead());
        locations.put(ModelSlot.GAN_ATTRIBUTION, attribution.gan());
        locations.put(ModelSlot.DIFFUSION_ATTRIBUTION, attribution.diffusion());
        locations.forEach((slot, location) -> statuses.put(slot, location
                .map(path -> new ModelStatus(State.LOADING, "loading from " + path))
                .orElseGet(() -> new ModelStatus(State.NOT_CONFIGURED, "not configured (set "
                        + slot.environmentVariable() + "); " + slot.stage() + " requests are not consumed here"))));
    }

    /**
     * Loads one slot's model when it is configured.
     *
     * @return whether the slot now holds a model
     */
    public boolean load(ModelSlot slot) {
        Optional<Path> location = locations.get(slot);
        if (location.isEmpty()) {
            LOG.warnf("No %s: %s", slot.description(), statuses.get(slot).detail());
            return false;
        }
        Path path = location.get();
        try {
            long started = System.nanoTime();
            Object model = open(slot, path);
            models.put(slot, model);
            String loaded = describe(model) + " from " + path;
            statuses.put(slot, new ModelStatus(State.LOADED, loaded));
            LOG.infof("Loaded %s %s in %d ms", slot.description(), loaded, (System.nanoTime() - started) / 1_000_000);
            return true;
        } catch (IOException | RuntimeException e) {
            String cause = String.valueOf(e.getMessage());
            String problem = "cannot load " + (cause.contains(path.toString()) ? cause : path + ": " + cause)
                    + " (fix " + slot.environmentVariable() + " and restart)";
            statuses.put(slot, new ModelStatus(State.FAILED, problem));
            LOG.errorf(e, "The %s %s; its stage is not served", slot.description(), problem);
            return false;
        }
    }

    private Object open(ModelSlot slot, Path path) throws IOException {
        return switch (slot) {
            case DETECTION_HEAD, FAMILY_HEAD -> VectorHead.load(path);
            case GAN_ATTRIBUTION, DIFFUSION_ATTRIBUTION -> attribution.unknownThreshold().isPresent()
                    ? AttributionNetwork.load(path, attribution.unknownThreshold().getAsDouble())
                    : AttributionNetwork.load(path);
        };
    }

    private static String describe(Object model) {
        return switch (model) {
            case VectorHead head -> head.id() + " version " + head.version();
            case AttributionNetwork network -> network.id() + " version " + network.version() + " "
                    + network.metadata().classes();
            default -> model.toString();
        };
    }

    /** Every slot's status, in slot order. */
    public Map<ModelSlot, ModelStatus> statuses() {
        Map<ModelSlot, ModelStatus> ordered = new EnumMap<>(ModelSlot.class);
        ordered.putAll(statuses);
        return ordered;
    }

    public VectorHead detectionHead() {
        return model(ModelSlot.DETECTION_HEAD, VectorHead.class);
    }

    public VectorHead familyHead() {
        return model(ModelSlot.FAMILY_HEAD, VectorHead.class);
    }

    public AttributionNetwork attributionNetwork(String family) {
        return model(ModelSlot.attribution(family), AttributionNetwork.class);
    }

    private <T> T model(ModelSlot slot, Class<T> type) {
        Object model = models.get(slot);
        if (model == null) {
            throw new IllegalStateException("the " + slot.description() + " is not loaded: "
                    + statuses.get(slot).detail());
        }
        return type.cast(model);
    }

    @PreDestroy
    void close() {
        models.values().forEach(model -> {
            if (model instanceof AttributionNetwork network) {
                network.close();
            }
        });
        models.clear();
    }
}
