package dev.aidetect.classifier.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.aidetect.classifier.config.ClassifierConfig;
import dev.aidetect.classifier.domain.DetectionInput;
import dev.aidetect.classifier.domain.LoadedModel;
import dev.aidetect.classifier.domain.ModelInfo;
import dev.aidetect.classifier.domain.ModelSlot;
import dev.aidetect.classifier.domain.ModelStatus;
import dev.aidetect.classifier.domain.ModelStatus.State;
import dev.aidetect.classifier.domain.ServedModel;
import dev.aidetect.heads.VectorHead;
import dev.aidetect.heads.attribution.AttributionNetwork;
import dev.aidetect.heads.attribution.DetectionNetwork;
import dev.aidetect.schemas.Topics;

/**
 * Holds the classifier's models: loads each configured one at start-up, keeps its status for readiness, replaces a
 * slot's model in one atomic step when a checked replacement is handed in ({@link ModelReloader}), and closes the
 * networks once nothing uses them. A model is handed out only once loaded. A reload never empties a slot (the
 * replacement is loaded beside the serving model, then swapped in), so a record that arrives during one is decided by
 * the serving model. A record that asks for a model still loading waits for it, up to {@code model-wait} after the
 * load began; a model that does not come (still loading, failed, not configured, or the service shutting down) makes
 * the record UNAVAILABLE ({@link ModelUnavailableException}, retryable), never an internal error.
 *
 * <p>
 * Models are used inside a {@link #batch(Supplier) batch} (a poll of records): the first use of a slot in a batch
 * takes a hold on the model serving then, and the rest of the batch gets that same model, so one batch never mixes
 * the verdicts of two versions. A swapped-out model is closed when the last batch holding it ends
 * ({@link SharedModel}).
 */
@ApplicationScoped
public class ModelRegistry {
    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);

    private final Map<ModelSlot, Path> configured = new EnumMap<>(ModelSlot.class);
    private final ClassifierConfig.Attribution attribution;
    private final Map<ModelSlot, ModelStatus> statuses = new ConcurrentHashMap<>();
    private final Map<ModelSlot, SharedModel> models = new ConcurrentHashMap<>();
    /** The holds of the batch this thread is deciding, if any. */
    private static final ScopedValue<Batch> BATCH = ScopedValue.newInstance();
    /** When each slot's load began (System.nanoTime), for the wait of records that ask for it meanwhile. */
    private final Map<ModelSlot, Long> loadingSince = new ConcurrentHashMap<>();
    /** Notified whenever a slot's model or status changes, and at shutdown; waiters for a loading model wait on it. */
    private final Object changes = new Object();
    private final Duration modelWait;
    private final DetectionInput detectionInput;
    private volatile boolean closed;

    public ModelRegistry(ClassifierConfig config) {
        this.attribution = config.attribution();
        this.modelWait = config.modelWait();
        this.detectionInput = config.detectionInput();
        config.detectionHead().ifPresent(path -> configured.put(ModelSlot.DETECTION_HEAD, path));
        config.detectionNetwork().ifPresent(path -> configured.put(ModelSlot.DETECTION_NETWORK, path));
        config.familyHead().ifPresent(path -> configured.put(ModelSlot.FAMILY_HEAD, path));
        config.familyNetwork().ifPresent(path -> configured.put(ModelSlot.FAMILY_NETWORK, path));
        attribution.gan().ifPresent(path -> configured.put(ModelSlot.GAN_ATTRIBUTION, path));
        attribution.diffusion().ifPresent(path -> configured.put(ModelSlot.DIFFUSION_ATTRIBUTION, path));
        for (ModelSlot slot : ModelSlot.values()) {
            Path path = configured.get(slot);
            if (path != null) {
                loadingSince.put(slot, System.nanoTime());
            }
            statuses.put(slot, path != null
                    ? new ModelStatus(State.LOADING, "loading from " + path)
                    : new ModelStatus(State.NOT_CONFIGURED, "not configured (set " + slot.environmentVariable()
                            + "); " + slot.stage() + " requests are not consumed here"));
        }
        checkDetectionSlots();
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
     * The detection slots follow {@code detection-input}: a slot the input does not use is not loaded (a model set for
     * it is named as unused), and one it uses but that is not set fails, since the stage cannot decide without it.
     */
    private void checkDetectionSlots() {
        String setting = ClassifierConfig.PREFIX + ".detection-input=" + detectionInput.label();
        boolean anyDetection = configured.containsKey(ModelSlot.DETECTION_HEAD)
                || configured.containsKey(ModelSlot.DETECTION_NETWORK);
        for (ModelSlot slot : List.of(ModelSlot.DETECTION_HEAD, ModelSlot.DETECTION_NETWORK)) {
            if (!detectionInput.slots().contains(slot)) {
                Path unused = configured.remove(slot);
                loadingSince.remove(slot);
                String use = (slot == ModelSlot.DETECTION_NETWORK ? "pixels" : "vector") + " or fused to use it";
                statuses.put(slot, new ModelStatus(State.NOT_CONFIGURED, unused != null
                        ? unused + " is set but not used: " + setting + "; set it to " + use
                        : "not used: " + setting + " (set it to " + use + ", with " + slot.environmentVariable()
                                + ")"));
            } else if (!configured.containsKey(slot) && (anyDetection || detectionInput != DetectionInput.VECTOR)) {
                statuses.put(slot, new ModelStatus(State.FAILED, setting + " decides with the " + slot.description()
                        + ", but " + slot.environmentVariable() + " is not set; set it (" + (slot.holdsVectorHead()
                                ? "aidetect train heads"
                                : "aidetect train detector")
                        + ") or change the detection input"));
            }
        }
    }

    /** What the real/fake call is made on. */
    public DetectionInput detectionInput() {
        return detectionInput;
    }

    /** Whether the slot has a model to load here (set, and used by this configuration). */
    public boolean isConfigured(ModelSlot slot) {
        return configured.containsKey(slot);
    }

    /** Where the slot's model is configured to be read from at start-up, if it has one here. */
    public Optional<Path> configuredPath(ModelSlot slot) {
        return Optional.ofNullable(configured.get(slot));
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
        long started = System.nanoTime();
        loadingSince.put(slot, started);
        try {
            LoadedModel loaded = open(slot, path);
            SharedModel previous = models.put(slot, new SharedModel(loaded));
            if (previous != null) {
                previous.release();
            }
            statuses.put(slot, new ModelStatus(State.LOADED, describe(loaded)));
            LOG.infof("Loaded %s %s in %d ms", slot.description(), describe(loaded),
                    (System.nanoTime() - started) / 1_000_000);
            return true;
        } catch (IOException | RuntimeException e) {
            String cause = String.valueOf(e.getMessage());
            String problem = Files.exists(path)
                    ? "cannot load " + (cause.contains(path.toString()) ? cause : path + ": " + cause) + " (fix "
                            + slot.environmentVariable() + " and restart)"
                    // The usual first start of a deployment: say how models get there, not just that they are not.
                    : "cannot load " + path + ": nothing is there; write the models first (`aidetect models init "
                            + "--to DIR` copies trained ones or trains the demo's; in docker compose the models "
                            + "service does, see its log) or fix " + slot.environmentVariable() + ", then restart";
            statuses.put(slot, new ModelStatus(State.FAILED, problem));
            LOG.errorf(e, "The %s %s; its stage is not served", slot.description(), problem);
            return false;
        } finally {
            changed();
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
            case DETECTION_NETWORK -> loaded(new ServedModel.Detector(DetectionNetwork.load(path)), path, stamp);
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

    /**
     * Makes {@code replacement} the slot's model in one step. Batches that hold the old one finish on it; it is closed
     * when the last of them ends (at once when none holds it).
     */
    void swap(ModelSlot slot, LoadedModel replacement) {
        if (closed) {
            replacement.model().close();
            throw new ModelUnavailableException("the classifier is shutting down; " + replacement.id()
                    + " version " + replacement.version() + " was not swapped in");
        }
        SharedModel old = models.put(slot, new SharedModel(replacement));
        statuses.put(slot, new ModelStatus(State.LOADED, describe(replacement)));
        changed();
        if (old != null) {
            old.release();
        }
    }

    /**
     * Runs {@code work} as one batch: every model it asks for is the one serving at its first use in the batch, held
     * until the batch ends. Inside a batch already (a stage called by the consumer's batch), it just runs.
     */
    public <T> T batch(Supplier<T> work) {
        if (BATCH.isBound()) {
            return work.get();
        }
        Batch batch = new Batch();
        try {
            return ScopedValue.where(BATCH, batch).call(work::get);
        } finally {
            batch.releaseAll();
        }
    }

    /** The models one batch holds, by slot; used by the one thread that decides the batch. */
    private static final class Batch {
        private final Map<ModelSlot, SharedModel> held = new EnumMap<>(ModelSlot.class);

        void releaseAll() {
            held.values().forEach(SharedModel::release);
            held.clear();
        }
    }

    /** Wakes the records waiting for a model, to look again. */
    private void changed() {
        synchronized (changes) {
            changes.notifyAll();
        }
    }

    private static String describe(LoadedModel loaded) {
        String classes = loaded.model() instanceof ServedModel.Head ? "" : " " + loaded.model().classes();
        return loaded.id() + " version " + loaded.version() + classes + " from " + loaded.path();
    }

    /** Every slot's status, in slot order. */
    public Map<ModelSlot, ModelStatus> statuses() {
        Map<ModelSlot, ModelStatus> ordered = new EnumMap<>(ModelSlot.class);
        ordered.putAll(statuses);
        return ordered;
    }

    /** The model a slot serves with now, if any: what it is and where it came from (use it through a batch). */
    public Optional<LoadedModel> loaded(ModelSlot slot) {
        return Optional.ofNullable(models.get(slot)).map(SharedModel::loaded);
    }

    /** How many hold the slot's serving model now (the registry and each batch); for tests. */
    int holders(ModelSlot slot) {
        SharedModel shared = models.get(slot);
        return shared == null ? 0 : shared.holders();
    }

    /** Every slot as {@code GET /models} lists it, in slot order. */
    public List<ModelInfo> infos() {
        List<ModelInfo> infos = new ArrayList<>();
        statuses().forEach((slot, status) -> {
            LoadedModel model = loaded(slot).orElse(null);
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
        return loaded(ModelSlot.FAMILY_NETWORK).map(loaded -> network(ModelSlot.FAMILY_NETWORK,
                serving(ModelSlot.FAMILY_NETWORK)));
    }

    /** The detection network, when the detection stage decides on pixels (alone or fused). */
    public DetectionNetwork detectionNetwork() {
        LoadedModel loaded = serving(ModelSlot.DETECTION_NETWORK);
        return switch (loaded.model()) {
            case ServedModel.Detector detector -> detector.network();
            default -> throw new IllegalStateException("the detection network slot holds " + loaded.id()
                    + ", which is not a real/fake network");
        };
    }

    public AttributionNetwork attributionNetwork(String family) {
        ModelSlot slot = ModelSlot.attribution(family);
        return network(slot, serving(slot));
    }

    private VectorHead head(ModelSlot slot) {
        return switch (serving(slot).model()) {
            case ServedModel.Head head -> head.head();
            case ServedModel network -> throw new IllegalStateException("the " + slot.description()
                    + " holds network " + network.id() + " where a vector head belongs");
        };
    }

    private static AttributionNetwork network(ModelSlot slot, LoadedModel loaded) {
        return switch (loaded.model()) {
            case ServedModel.Network network -> network.network();
            case ServedModel other -> throw new IllegalStateException("the " + slot.description()
                    + " holds " + other.id() + " where an attribution-format network belongs");
        };
    }

    /**
     * The slot's model for the batch this thread decides: held by the batch since its first use there. Outside a
     * batch, the model serving now, unheld: a swap may close it while it is used, so stages run in batches.
     */
    private LoadedModel serving(ModelSlot slot) {
        if (!BATCH.isBound()) {
            SharedModel shared = closed ? null : models.get(slot);
            return (shared != null ? shared : awaitLoaded(slot)).loaded();
        }
        Map<ModelSlot, SharedModel> held = BATCH.get().held;
        SharedModel shared = held.get(slot);
        if (shared == null) {
            shared = hold(slot);
            held.put(slot, shared);
        }
        return shared.loaded();
    }

    /** A hold on the slot's serving model, waiting while it loads. */
    private SharedModel hold(ModelSlot slot) {
        while (true) {
            SharedModel shared = closed ? null : models.get(slot);
            shared = shared != null ? shared : awaitLoaded(slot);
            if (shared.retain()) {
                return shared;
            }
            // Swapped out and closed between the look and the hold: its replacement is in place, take that.
        }
    }

    /**
     * The slot's model once it has loaded, waiting while it loads, up to model-wait after the load began.
     *
     * @throws ModelUnavailableException when it does not come in that time, failed, is not configured, or the
     *         service is shutting down
     */
    private SharedModel awaitLoaded(ModelSlot slot) {
        long deadline = loadingSince.getOrDefault(slot, System.nanoTime()) + modelWait.toNanos();
        synchronized (changes) {
            while (true) {
                if (closed) {
                    throw new ModelUnavailableException("the " + slot.description() + " is closed: the classifier "
                            + "is shutting down; submit the image again once it is back");
                }
                SharedModel loaded = models.get(slot);
                if (loaded != null) {
                    return loaded;
                }
                ModelStatus status = statuses.get(slot);
                long left = deadline - System.nanoTime();
                if (status.state() != State.LOADING) {
                    throw new ModelUnavailableException("the " + slot.description() + " is not loaded: "
                            + status.detail() + "; submit the image again once it is");
                }
                if (left <= 0) {
                    throw new ModelUnavailableException(String.format(Locale.ROOT,
                            "the %s was still loading (%s) %.1f s after its load began (aidetect.classifier."
                                    + "model-wait=%s); submit the image again once the classifier is ready "
                                    + "(/q/health/ready)",
                            slot.description(), status.detail(),
                            (System.nanoTime() - loadingSince.getOrDefault(slot, deadline)) / 1e9, modelWait));
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(changes, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ModelUnavailableException("interrupted while waiting for the " + slot.description()
                            + " to load; submit the image again");
                }
            }
        }
    }

    @PreDestroy
    void close() {
        closed = true;
        changed();
        // Each model closes now, or when the last batch still deciding with it ends.
        models.values().forEach(SharedModel::release);
        models.clear();
    }
}
