package dev.aidetect.imaging.encoder;

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;

/**
 * One loaded DJL model of an {@link ImageEncoder}: runs a forward pass over a batch of preprocessed CHW images in the
 * model's precision. For float16 the input is cast on the device (the export casts it too, so this only halves what
 * reaches its graph); bfloat16 exports take float32 as is, because DJL 0.35.1's PyTorch JNI cannot make bfloat16
 * arrays (the cast aborts the JVM). Outputs that are not float32 are cast back. DJL predictors are not thread-safe, so
 * each calling thread gets its own, kept until {@link #close()}.
 */
final class EncoderModel implements AutoCloseable {

    private final EncoderManifest manifest;
    private final ZooModel<NDList, NDList> model;
    private final EncoderPrecision precision;
    private final Map<Thread, Predictor<NDList, NDList>> predictors = new ConcurrentHashMap<>();

    EncoderModel(EncoderManifest manifest, ZooModel<NDList, NDList> model, EncoderPrecision precision) {
        this.manifest = manifest;
        this.model = model;
        this.precision = precision;
    }

    EncoderManifest manifest() {
        return manifest;
    }

    Device device() {
        return model.getNDManager().getDevice();
    }

    EncoderPrecision precision() {
        return precision;
    }

    /** The {@code batchSize} embeddings of the batch, flat: image {@code i} at {@code i * embeddingSize}. */
    float[] forward(float[] chwBatch, int batchSize) {
        Predictor<NDList, NDList> predictor = predictors.computeIfAbsent(Thread.currentThread(),
                thread -> model.newPredictor());
        int side = manifest.inputSize();
        try (NDManager scope = model.getNDManager().newSubManager()) {
            NDArray input = scope.create(FloatBuffer.wrap(chwBatch, 0, batchSize * 3 * side * side),
                    new Shape(batchSize, 3, side, side));
            boolean fp16 = precision == EncoderPrecision.FLOAT16;
            NDList output = predictor.predict(new NDList(fp16 ? input.toType(DataType.FLOAT16, false) : input));
            output.attach(scope);
            NDArray embeddings = output.get(0).getDataType() == DataType.FLOAT32
                    ? output.get(0)
                    : output.get(0).toType(DataType.FLOAT32, false);
            Shape expected = new Shape(batchSize, manifest.embeddingSize());
            if (!embeddings.getShape().equals(expected)) {
                throw new IllegalStateException("encoder " + manifest.id() + " returned shape "
                        + embeddings.getShape() + ", manifest promises " + expected);
            }
            return embeddings.toFloatArray();
        } catch (TranslateException e) {
            throw new IllegalStateException(
                    "encoder " + manifest.id() + " failed on a batch of " + batchSize + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        predictors.values().forEach(Predictor::close);
        predictors.clear();
        model.close();
    }
}
