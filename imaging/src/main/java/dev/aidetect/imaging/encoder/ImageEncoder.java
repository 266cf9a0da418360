package dev.aidetect.imaging.encoder;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.ZooModel;

/**
 * An image encoder loaded through DJL (by {@link EncoderLoader}) from an {@link EncoderManifest}: takes a batch of
 * preprocessed CHW images and returns one raw embedding per image from a single forward pass, on the device (and in
 * the precision) the loader chose.
 *
 * <p>
 * Several encoders can run side by side as one ({@link #combine}): each gets the same preprocessed batch, renormalised
 * per channel to its own mean and std, and their vectors are concatenated in order.
 *
 * <p>
 * DJL predictors are not thread-safe, so each calling thread gets its own, created on first use and kept until
 * {@link #close()}: call {@link #embed} from a fixed set of threads (such as one inference thread), not from
 * short-lived ones.
 */
public final class ImageEncoder implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ImageEncoder.class.getName());

    private final EncoderManifest manifest;
    private final List<EncoderPart> parts;
    private final Preprocessor preprocessor;
    private volatile boolean closed;

    private ImageEncoder(EncoderManifest manifest, List<EncoderPart> parts) {
        this.manifest = manifest;
        this.parts = List.copyOf(parts);
        this.preprocessor = Preprocessor.of(manifest);
    }

    /** Loads a local manifest's encoder on the GPU if there is one, else the CPU, in float32. */
    public static ImageEncoder load(Path manifestPath) throws EncoderLoadException {
        return load(EncoderManifest.read(manifestPath));
    }

    /** Loads the manifest's encoder as {@link EncoderLoader#defaults()} does. */
    public static ImageEncoder load(EncoderManifest manifest) throws EncoderLoadException {
        return EncoderLoader.defaults().load(manifest);
    }

    /**
     * Wraps a loaded model and runs one image of zeros through it to check that it yields {@code embeddingSize} values,
     * so a wrong manifest fails here and not on the first real image. Closes the model when the check fails.
     */
    static ImageEncoder checked(EncoderManifest manifest, ZooModel<NDList, NDList> model, EncoderPrecision precision)
            throws EncoderLoadException {
        ImageEncoder encoder = new ImageEncoder(manifest,
                List.of(new EncoderPart(new EncoderModel(manifest, model, precision), manifest)));
        try {
            encoder.embed(new float[encoder.preprocessor.floatsPerImage()], 1);
        } catch (RuntimeException e) {
            encoder.close();
            throw new EncoderLoadException(
                    "encoder " + manifest.id() + " v" + manifest.version() + " loaded but failed on a test image: "
                            + e.getMessage() + "; check inputSize and embeddingSize in the manifest"
                            + (precision == EncoderPrecision.FLOAT32
                                    ? ""
                                    : ", and that " + manifest.file().getFileName() + " takes and returns float32 (as"
                                            + " deploy/models' export scripts write " + precision.label() + " files)"),
                    e);
        }
        LOG.log(Level.INFO, "Loaded encoder {0} v{1} ({2}, {3} px {4}, {5} dims) on {6} in {7}", manifest.id(),
                manifest.version(), manifest.file().getFileName(), manifest.inputSize(),
                manifest.preprocess().manifestName(), manifest.embeddingSize(), encoder.device(),
                precision.label());
        return encoder;
    }

    /**
     * One encoder made of several, run side by side on the same preprocessed image: id and version are theirs joined
     * by {@code +}, the vector is theirs concatenated in order. They must share preprocessing mode and input size (mean
     * and std may differ: each model's input is renormalised). Takes ownership of the encoders.
     */
    public static ImageEncoder combine(List<ImageEncoder> encoders) throws EncoderLoadException {
        if (encoders.size() <= 1) {
            if (encoders.isEmpty()) {
                throw new EncoderLoadException("no encoder to combine: configure at least one");
            }
            return encoders.getFirst();
        }
        EncoderManifest first = encoders.getFirst().manifest;
        List<EncoderPart> parts = new ArrayList<>();
        for (ImageEncoder encoder : encoders) {
            EncoderManifest other = encoder.manifest;
            if (other.preprocess() != first.preprocess() || other.inputSize() != first.inputSize()) {
                throw new EncoderLoadException("encoders " + first.id() + " (" + first.preprocess().manifestName()
                        + ", " + first.inputSize() + " px) and " + other.id() + " ("
                        + other.preprocess().manifestName() + ", " + other.inputSize() + " px) cannot share one"
                        + " preprocessed image: combine encoders with the same preprocess and inputSize, or run"
                        + " separate embedders");
            }
            encoder.parts.forEach(part -> parts.add(new EncoderPart(part.model(), first)));
        }
        EncoderManifest combined = new EncoderManifest(join(encoders, EncoderManifest::id),
                join(encoders, EncoderManifest::version), first.file(), join(encoders, EncoderManifest::engine),
                first.inputSize(), first.preprocess(), first.mean(), first.std(),
                encoders.stream().mapToInt(ImageEncoder::embeddingSize).sum(), first.sha256(), null, null, null, null);
        LOG.log(Level.INFO, "Encoders {0} run side by side: {1} dims per image", combined.id(),
                combined.embeddingSize());
        return new ImageEncoder(combined, parts);
    }

    private static String join(List<ImageEncoder> encoders, Function<EncoderManifest, String> field) {
        return String.join("+", encoders.stream().map(encoder -> field.apply(encoder.manifest)).toList());
    }

    public EncoderManifest manifest() {
        return manifest;
    }

    public String id() {
        return manifest.id();
    }

    public String version() {
        return manifest.version();
    }

    public int embeddingSize() {
        return manifest.embeddingSize();
    }

    /** One of the encoders an {@link ImageEncoder} runs, and how many values of each vector are its. */
    public record Member(String id, String version, int embeddingSize) {
    }

    /** The encoders this one runs, in the order their values appear in each vector ({@link #combine}); one if alone. */
    public List<Member> members() {
        return parts.stream().map(part -> part.model().manifest())
                .map(own -> new Member(own.id(), own.version(), own.embeddingSize())).toList();
    }

    /** The preprocessing this encoder expects (mode, input size, mean and std from the manifest). */
    public Preprocessor preprocessor() {
        return preprocessor;
    }

    public Device device() {
        return parts.getFirst().model().device();
    }

    /**
     * The precision of the forward pass: the first model's, as all models of a combined encoder are loaded by one
     * {@link EncoderLoader} (vectors are float32 whatever it is).
     */
    public EncoderPrecision precision() {
        return parts.getFirst().model().precision();
    }

    /**
     * Embeds the first {@code batchSize} images of {@code chwBatch} (each {@link Preprocessor#floatsPerImage()} floats)
     * in one forward pass per model.
     *
     * @return {@code batchSize} vectors of {@link #embeddingSize()} floats
     */
    public float[][] embed(float[] chwBatch, int batchSize) {
        if (closed) {
            throw new IllegalStateException("encoder " + id() + " is closed");
        }
        int perImage = preprocessor.floatsPerImage();
        if (batchSize <= 0 || (long) batchSize * perImage > chwBatch.length) {
            throw new IllegalArgumentException("batch of " + batchSize + " images needs " + (long) batchSize * perImage
                    + " floats, buffer has " + chwBatch.length);
        }
        float[][] vectors = new float[batchSize][embeddingSize()];
        int offset = 0;
        for (EncoderPart part : parts) {
            int size = part.model().manifest().embeddingSize();
            float[] flat = part.model().forward(part.input(chwBatch, batchSize, perImage), batchSize);
            for (int i = 0; i < batchSize; i++) {
                System.arraycopy(flat, i * size, vectors[i], offset, size);
            }
            offset += size;
        }
        return vectors;
    }

    @Override
    public void close() {
        closed = true;
        parts.forEach(part -> part.model().close());
    }
}
