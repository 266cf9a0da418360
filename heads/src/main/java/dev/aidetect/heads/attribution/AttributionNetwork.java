package dev.aidetect.heads.attribution;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;

import dev.aidetect.heads.ArtifactJson;

/**
 * A trained per-family attribution network: consumes an RGB image, produces an {@link AttributionDecision} naming
 * the generator that made it, or {@code unknown}. It looks at the image's centre crop, never a resized image. The
 * network is a DJL ResNet trained by {@link AttributionTrainer} or a TorchScript module imported by
 * {@link AttributionImport}; both see the same input.
 *
 * <p>
 * Thread-safe: DJL predictors are not, so each calling thread gets its own, created on first use and closed with the
 * network.
 */
public final class AttributionNetwork implements AutoCloseable {
    static final String ENGINE = "PyTorch";

    private final AttributionMetadata metadata;
    private final Model model;
    private final Queue<Predictor<BufferedImage, float[]>> predictors = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<Predictor<BufferedImage, float[]>> predictor;
    private final Queue<Predictor<ViewsTranslator.Viewed, float[][]>> viewPredictors = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<Predictor<ViewsTranslator.Viewed, float[][]>> viewPredictor;
    private final AtomicBoolean closed = new AtomicBoolean();

    private AttributionNetwork(AttributionMetadata metadata, Model model) {
        this.metadata = metadata;
        this.model = model;
        this.predictor = ThreadLocal.withInitial(() -> {
            Predictor<BufferedImage, float[]> created = model.newPredictor(new CropTranslator(metadata.cropSize(),
                    metadata.pixelInput()));
            predictors.add(created);
            return created;
        });
        this.viewPredictor = ThreadLocal.withInitial(() -> {
            Predictor<ViewsTranslator.Viewed, float[][]> created = model.newPredictor(new ViewsTranslator(
                    metadata.cropSize(), metadata.pixelInput()));
            viewPredictors.add(created);
            return created;
        });
    }

    /**
     * Loads a network directory written by {@link AttributionTrainer}.
     *
     * @throws IOException when the directory is missing, lacks {@code attribution.json} or the parameters, or they
     *         do not fit together
     */
    public static AttributionNetwork load(Path dir) throws IOException {
        return load(dir, Double.NaN);
    }

    /**
     * Loads a network with another unknown threshold than the calibrated one, e.g. a stricter one chosen by an
     * operator.
     *
     * @param unknownThreshold within [0, 1]; NaN keeps the calibrated threshold
     */
    public static AttributionNetwork load(Path dir, double unknownThreshold) throws IOException {
        Path file = dir.resolve(AttributionMetadata.FILE);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    "no attribution network there; train one (aidetect train attribution) or fix the configured directory");
        }
        AttributionMetadata metadata = ArtifactJson.read(Files.readAllBytes(file), AttributionMetadata.class,
                file.toString());
        if (metadata.formatVersion() != AttributionMetadata.FORMAT_VERSION
                && metadata.formatVersion() != AttributionMetadata.RGB_FORMAT_VERSION) {
            throw new IOException(file + " has attribution format " + metadata.formatVersion() + " but this code reads "
                    + AttributionMetadata.FORMAT_VERSION + " and " + AttributionMetadata.RGB_FORMAT_VERSION
                    + "; retrain the network or upgrade the service");
        }
        PixelInput input;
        try {
            input = metadata.pixelInput();
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage() + "; retrain the network or upgrade the service", e);
        }
        if (AttributionMetadata.formatFor(input) != metadata.formatVersion()) {
            throw new IOException(file + " has attribution format " + metadata.formatVersion() + " but input "
                    + input.label() + ", which is written as format " + AttributionMetadata.formatFor(input)
                    + "; the file was edited or is corrupt: retrain the network");
        }
        if (!Double.isNaN(unknownThreshold)) {
            if (unknownThreshold < 0 || unknownThreshold > 1) {
                throw new IllegalArgumentException("unknown threshold must be within [0, 1], got " + unknownThreshold);
            }
            metadata = metadata.withUnknownThreshold(unknownThreshold, "configured");
        }
        Model model = Model.newInstance(metadata.id(), ENGINE);
        try {
            if (!metadata.torchScript()) {
                model.setBlock(metadata.newBlock());
            }
            // Without a block, the PyTorch engine loads attribution.pt as a TorchScript module.
            model.load(dir, AttributionMetadata.PARAMETERS_PREFIX);
        } catch (MalformedModelException | IOException | RuntimeException e) {
            model.close();
            throw new IOException("cannot load the " + (metadata.torchScript() ? "TorchScript module" : "parameters")
                    + " of attribution network " + metadata.id() + " from " + dir + " (ResNet-" + metadata.depth()
                    + ", " + metadata.classes().size() + " classes, crop " + metadata.cropSize() + "): "
                    + e.getMessage(), e);
        }
        AttributionNetwork network = new AttributionNetwork(metadata, model);
        // DJL may load a block whose parameters file it could not use and leave its weights uninitialised: run the
        // network once, so such a directory fails here rather than on every image it is asked about.
        network.checkOutputSize(dir);
        return network;
    }

    public AttributionMetadata metadata() {
        return metadata;
    }

    /** The network's model id, for {@code StageVerdict.model.id}. */
    public String id() {
        return metadata.id();
    }

    /** The network's content version, for {@code StageVerdict.model.version}. */
    public String version() {
        return metadata.version();
    }

    /** Names the generator of an image, or {@code unknown} when no known generator is likely enough. */
    public AttributionDecision attribute(BufferedImage rgb) {
        return decide(CropTranslator.softmax(logits(rgb)));
    }

    /**
     * The network's raw class scores (before softmax) for an image's centre crop, in class order: what open-set
     * scores other than the top probability (max logit, energy) are computed from.
     */
    public float[] logits(BufferedImage rgb) {
        checkOpen();
        try {
            return predictor.get().predict(rgb);
        } catch (TranslateException e) {
            throw new IllegalStateException("attribution network " + metadata.id() + " failed on a "
                    + rgb.getWidth() + "x" + rgb.getHeight() + " image: " + e.getMessage(), e);
        }
    }

    /** The logits of each of the image's {@code views}, in {@link TestViews#offsets()} order, in one forward pass. */
    public float[][] logits(BufferedImage rgb, TestViews views) {
        checkOpen();
        try {
            return viewPredictor.get().predict(new ViewsTranslator.Viewed(rgb, views));
        } catch (TranslateException e) {
            throw new IllegalStateException("attribution network " + metadata.id() + " failed on " + views
                    + " of a " + rgb.getWidth() + "x" + rgb.getHeight() + " image: " + e.getMessage(), e);
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            // A closed model's native memory is gone: fail loudly rather than read freed memory.
            throw new IllegalStateException("attribution network " + metadata.id() + " version " + metadata.version()
                    + " is closed; it was replaced or the service is shutting down");
        }
    }

    /**
     * Logits and penultimate features of the image's five crops (centre first), for feature-space open-set scores.
     * Only for networks trained here: an imported TorchScript module does not expose its layers.
     */
    public AttributionReadout readout(BufferedImage rgb) {
        if (metadata.torchScript()) {
            throw new UnsupportedOperationException("attribution network " + metadata.id()
                    + " is an imported TorchScript module whose features cannot be read; use logits(image)");
        }
        return AttributionReadout.read(model, metadata.cropSize(), metadata.pixelInput(), rgb);
    }

    /**
     * The network must run, and answer one score per listed class (an imported module's class list is written by
     * hand; a wrong one would mislabel every image).
     */
    private void checkOutputSize(Path dir) throws IOException {
        int size = metadata.cropSize();
        float[] logits;
        try {
            logits = logits(new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB));
        } catch (RuntimeException e) {
            close();
            throw new IOException("attribution network " + metadata.id() + " from " + dir + " does not run on a "
                    + size + "x" + size + " crop (" + e.getMessage() + "); its parameters are missing, unreadable "
                    + "or of another network: train or export it again", e);
        }
        if (logits.length != metadata.classes().size()) {
            close();
            throw new IOException("the TorchScript module of " + metadata.id() + " gives " + logits.length
                    + " scores but " + metadata.classes().size() + " classes are listed " + metadata.classes()
                    + "; list exactly its classes, in its output order");
        }
    }

    AttributionDecision decide(double[] probabilities) {
        List<String> classes = metadata.classes();
        Map<String, Double> scores = new LinkedHashMap<>();
        int best = 0;
        for (int i = 0; i < classes.size(); i++) {
            scores.put(classes.get(i), probabilities[i]);
            best = probabilities[i] > probabilities[best] ? i : best;
        }
        double threshold = metadata.unknownThreshold();
        String decision = probabilities[best] >= threshold ? classes.get(best) : AttributionMetadata.UNKNOWN;
        return new AttributionDecision(decision, probabilities[best], Collections.unmodifiableMap(scores),
                threshold);
    }

    /** Whether {@link #close()} has freed the network; a closed network refuses images. */
    public boolean isClosed() {
        return closed.get();
    }

    /** Frees the predictors and the model's native memory; a second call does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        predictors.forEach(Predictor::close);
        predictors.clear();
        viewPredictors.forEach(Predictor::close);
        viewPredictors.clear();
        model.close();
    }
}
