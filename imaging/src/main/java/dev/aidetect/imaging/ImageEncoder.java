package dev.aidetect.imaging;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import ai.djl.Device;
import ai.djl.ModelException;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;

/**
 * An image encoder loaded through DJL from an {@link EncoderManifest}: takes a batch of preprocessed CHW images and
 * returns one raw embedding per image from a single forward pass. Runs on the GPU when the engine reports one.
 *
 * <p>
 * DJL predictors are not thread-safe, so each calling thread gets its own, created on first use and kept until
 * {@link #close()}: call {@link #embed} from a fixed set of threads (such as one inference thread), not from
 * short-lived ones.
 */
public final class ImageEncoder implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ImageEncoder.class.getName());

    private final EncoderManifest manifest;
    private final ZooModel<NDList, NDList> model;
    private final Map<Thread, Predictor<NDList, NDList>> predictors = new ConcurrentHashMap<>();
    private final Preprocessor preprocessor;
    private volatile boolean closed;

    private ImageEncoder(EncoderManifest manifest, ZooModel<NDList, NDList> model) {
        this.manifest = manifest;
        this.model = model;
        this.preprocessor = Preprocessor.of(manifest);
    }

    public static ImageEncoder load(Path manifestPath) throws EncoderLoadException {
        return load(EncoderManifest.read(manifestPath));
    }

    /**
     * Verifies the model file's checksum, loads it on the GPU if there is one (else the CPU) and runs one image of
     * zeros through it to check that it yields {@code embeddingSize} values, so a wrong manifest fails here and not on
     * the first real image.
     */
    public static ImageEncoder load(EncoderManifest manifest) throws EncoderLoadException {
        Path file = manifest.verifiedFile();
        Device device = Engine.getEngine(manifest.engine()).getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        String fileName = file.getFileName().toString();
        // A directory plus model name is DJL's usual local layout (a bare file path loads too, with a warning).
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(fileName.endsWith(".pt") ? file.getParent() : file)
                .optModelName(fileName.endsWith(".pt") ? fileName.substring(0, fileName.length() - 3) : null)
                .optEngine(manifest.engine())
                .optDevice(device)
                // Load the weights onto the chosen device even if the file was traced on the CPU.
                .optOption("mapLocation", "true")
                .build();
        ImageEncoder encoder;
        try {
            encoder = new ImageEncoder(manifest, criteria.loadModel());
        } catch (IOException | ModelException | RuntimeException e) {
            throw new EncoderLoadException(
                    "DJL could not load encoder " + manifest.id() + " v" + manifest.version() + " from " + file
                            + " with engine " + manifest.engine() + ": " + e.getMessage(),
                    e);
        }
        try {
            encoder.embed(new float[encoder.preprocessor.floatsPerImage()], 1);
        } catch (RuntimeException e) {
            encoder.close();
            throw new EncoderLoadException(
                    "encoder " + manifest.id() + " v" + manifest.version() + " loaded but failed on a test image: "
                            + e.getMessage() + "; check inputSize and embeddingSize in the manifest",
                    e);
        }
        LOG.log(Level.INFO, "Loaded encoder {0} v{1} ({2}, {3} px {4}, {5} dims) on {6}", manifest.id(),
                manifest.version(), file.getFileName(),
                manifest.inputSize(), manifest.preprocess().manifestName(), manifest.embeddingSize(), device);
        return encoder;
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

    /** The preprocessing this encoder expects (mode, input size, mean and std from the manifest). */
    public Preprocessor preprocessor() {
        return preprocessor;
    }

    public Device device() {
        return model.getNDManager().getDevice();
    }

    /**
     * Embeds the first {@code batchSize} images of {@code chwBatch} (each {@link Preprocessor#floatsPerImage()} floats)
     * in one forward pass.
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
        Predictor<NDList, NDList> predictor = predictors.computeIfAbsent(Thread.currentThread(),
                thread -> model.newPredictor());
        int side = preprocessor.inputSize();
        try (NDManager scope = model.getNDManager().newSubManager()) {
            NDArray input = scope.create(FloatBuffer.wrap(chwBatch, 0, batchSize * perImage),
                    new Shape(batchSize, 3, side, side));
            NDList output = predictor.predict(new NDList(input));
            output.attach(scope);
            NDArray embeddings = output.get(0);
            Shape expected = new Shape(batchSize, embeddingSize());
            if (!embeddings.getShape().equals(expected)) {
                throw new IllegalStateException("encoder " + id() + " returned shape " + embeddings.getShape()
                        + ", manifest promises " + expected);
            }
            float[] flat = embeddings.toFloatArray();
            float[][] vectors = new float[batchSize][];
            for (int i = 0; i < batchSize; i++) {
                vectors[i] = Arrays.copyOfRange(flat, i * embeddingSize(), (i + 1) * embeddingSize());
            }
            return vectors;
        } catch (TranslateException e) {
            throw new IllegalStateException(
                    "encoder " + id() + " failed on a batch of " + batchSize + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closed = true;
        predictors.values().forEach(Predictor::close);
        predictors.clear();
        model.close();
    }
}
