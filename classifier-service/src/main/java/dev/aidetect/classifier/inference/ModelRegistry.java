package dev.aidetect.classifier.inference;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.aidetect.classifier.config.ClassifierConfig;
import dev.aidetect.classifier.domain.LoadedModel;
import dev.aidetect.classifier.domain.ModelInfo;
import dev.aidetect.classifier.domain.ModelSlot;
import dev.aidetect.classifier.domain.ModelStatus;
import dev.aidetect.classifier.domain.ModelStatus.State;
import dev.aidetect.classifier.domain.ServedModel;
import dev.aidetect.heads.VectorHead;
import dev.aidetect.heads.attribution.AttributionNetwork;
import dev.aidetect.schemas.Topics;

/**
 * Holds the classifier's models: loads each configured one at start-up, keeps its status for readiness, replaces a
 * slot's model in one atomic step when a checked replacement is handed in ({@link HeadReloader}), and closes the
 * networks on shutdown. A model is handed out only once loaded; a stage whose model is missing is never served.
 */
@ApplicationScoped
public class ModelRegistry {
    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);

    private final Map<ModelSlot, Path> configured = new EnumMap<>(ModelSlot.class);
    private final ClassifierConfig.Attribution attribution;
    private final Map<ModelSlot, ModelStatus> statuses = new ConcurrentHashMap<>();
    private final Map<ModelSlot, LoadedModel> models = new ConcurrentHashMap<>();

    public ModelRegistry(ClassifierConfig config) {
        this.attribution = config.attribution();
        config.detectionHead().ifPresent(path -> configured.put(ModelSlot.DETECTION_HEAD, path));
        config.familyHead().ifPresent(path -> configured.put(ModelSlot.FAMILY_HEAD, path));
        config.familyNetwork().ifPresent(path -> configured.put(ModelSlot.FAMILY_NETWORK, path));
        attribution.gan().ifPresent(path -> configured.put(ModelSlot.GAN_ATTRIBUTION, path));
        attribution.diffusion().ifPresent(path -> configured.put(ModelSlot.DIFFUSION_ATTRIBUTION, path));
        for (ModelSlot slot : ModelSlot.values()) {
            Path path = configured.get(slot);
            statuses.put(slot, path != null
                    ? new ModelStatus(State.LOADING, "loading from " + path)
                    : new ModelStatus(State.NOT_CONFIGURED, "not configured (set " + slot.environmentVariable()
                            + "); " + slot.stage() + " requests are not consumed here"));
        }
        if (configured.containsKey(ModelSlot.FAMILY_HEAD) && configured.containsKey(ModelSlot.FAMILY_NETWORK)) {
            ModelStatus conflict = new ModelStatus(State.FAILED, "both " + ModelSlot.FAMILY_HEAD.environmentVariable()
                    + " and " + ModelSlot.FAMILY_NETWORK.environmentVariable() + " are set; set one: the family "
                    + "stage runs a head on vectors or a network on pixels");
            for (ModelSlot family : List.of(ModelSlot.FAMILY_HEAD, ModelSlot.FAMILY_NETWORK)) {
                configured.remove(family);
                statuses.put(family, conflict);
            }
        }
    }

    /**
     * Loads one slot's configured model at start-up.
     *
     * @return whether the slot now holds a model
     */
    public boolean load(ModelSlot slot) {
        Path path = configured.get(slot);
        if (path == null) {
            LOG.warnf("No %s: %s", slot.description(), statuses.get(slot).detail());
            return false;
        }
        try {
            long started = System.nanoTime();
            LoadedModel loaded = open(slot, path);
            models.put(slot, loaded);
            statuses.put(slot, new ModelStatus(State.LOADED, describe(loaded)));
            LOG.infof("Loaded %s %s in %d ms", slot.description(), describe(loaded),
                    (System.nanoTime() - started) / 1_000_000);
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

    /** Reads a slot's kind of model from {@code path}, without installing it. */
    LoadedModel open(ModelSlot slot, Path path) throws IOException {
        // Stamped before reading: a file replaced meanwhile differs from the stamp and is read again.
        LoadedModel.FileStamp stamp = ArtifactFiles.stamp(path);
        return switch (slot) {
            case DETECTION_HEAD, FAMILY_HEAD -> {
                VectorHead head = VectorHead.load(path);
                yield loaded(new ServedModel.Head(head), path, stamp);
            }
            case FAMILY_NETWORK -> {
                // A family is always decided (the likelier one), never "unknown": no open-set threshold.
                AttributionNetwork network = AttributionNetwork.load(path, 0);
                if (!Set.copyOf(network.metadata().classes()).equals(Set.copyOf(Topics.FAMILIES))) {
                    network.close();
                    throw new IOException(path + " is a network of classes " + network.metadata().classes()
                            + " but the family stage decides between " + Topics.FAMILIES
                            + "; train it with the families as its classes");
                }
                yield loaded(new ServedModel.Network(network), path, stamp);
            }
            case GAN_ATTRIBUTION, DIFFUSION_ATTRIBUTION -> {
                AttributionNetwork network = attribution.unknownThreshold().isPresent()
                        ? AttributionNetwork.load(path, attribution.unknownThreshold().getAsDouble())
                        : AttributionNetwork.load(path);
                yield loaded(new ServedModel.Network(network), path, stamp);
            }
        };
    }

    private static LoadedModel loaded(ServedModel model, Path path, LoadedModel.FileStamp stamp) throws IOException {
        try {
            return new LoadedModel(model, model.id(), model.version(), path, ArtifactFiles.checksum(path), stamp,
                    Instant.now());
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Makes {@code replacement} the slot's model in one step; callers already hold the old one to the end. */
    void swap(ModelSlot slot, LoadedModel replacement) {
        models.put(slot, replacement);
        statuses.put(slot, new ModelStatus(State.LOADED, describe(replacement)));
    }

    private static String describe(LoadedModel loaded) {
        String classes = loaded.model() instanceof ServedModel.Network network
                ? " " + network.classes()
                : "";
        return loaded.id() + " version " + loaded.version() + classes + " from " + loaded.path();
    }

    /** Every slot's status, in slot order. */
    public Map<ModelSlot, ModelStatus> statuses() {
        Map<ModelSlot, ModelStatus> ordered = new EnumMap<>(ModelSlot.class);
        ordered.putAll(statuses);
        return ordered;
    }

    /** The model a slot serves with now, if any. */
    public Optional<LoadedModel> loaded(ModelSlot slot) {
        return Optional.ofNullable(models.get(slot));
    }

    /** Every slot as {@code GET /models} lists it, in slot order. */
    public List<ModelInfo> infos() {
        List<ModelInfo> infos = new ArrayList<>();
        statuses().forEach((slot, status) -> {
            LoadedModel model = models.get(slot);
            Path path = model != null ? model.path() : configured.get(slot);
            infos.add(new ModelInfo(slot.apiName(), status.state(), model == null ? null : model.id(),
                    model == null ? null : model.version(), model == null ? null : model.checksum(),
                    path == null ? null : path.toString(), model == null ? null : model.loadedAt(),
                    status.detail()));
        });
        return infos;
    }

    public VectorHead detectionHead() {
        return head(ModelSlot.DETECTION_HEAD);
    }

    public VectorHead familyHead() {
        return head(ModelSlot.FAMILY_HEAD);
    }

    /** The family network, when the family stage runs on pixels here. */
    public Optional<AttributionNetwork> familyNetwork() {
        return loaded(ModelSlot.FAMILY_NETWORK).map(loaded -> network(ModelSlot.FAMILY_NETWORK, loaded));
    }

    public AttributionNetwork attributionNetwork(String family) {
        ModelSlot slot = ModelSlot.attribution(family);
        return network(slot, serving(slot));
    }

    private VectorHead head(ModelSlot slot) {
        return switch (serving(slot).model()) {
            case ServedModel.Head head -> head.head();
            case ServedModel.Network network -> throw new IllegalStateException("the " + slot.description()
                    + " holds network " + network.id() + " where a vector head belongs");
        };
    }

    private static AttributionNetwork network(ModelSlot slot, LoadedModel loaded) {
        return switch (loaded.model()) {
            case ServedModel.Network network -> network.network();
            case ServedModel.Head head -> throw new IllegalStateException("the " + slot.description()
                    + " holds head " + head.id() + " where a network belongs");
        };
    }

    private LoadedModel serving(ModelSlot slot) {
        LoadedModel loaded = models.get(slot);
        if (loaded == null) {
            throw new IllegalStateException("the " + slot.description() + " is not loaded: "
                    + statuses.get(slot).detail());
        }
        return loaded;
    }

    @PreDestroy
    void close() {
        models.values().forEach(loaded -> loaded.model().close());
        models.clear();
    }
}
