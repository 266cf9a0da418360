package dev.aidetect.imaging;

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
 * One loaded DJL model of an {@link ImageEncoder}: runs a forward pass over a batch of preprocessed CHW images, in half
 * precision when asked (inputs cast to float16 on the device, outputs back to float32). DJL predictors are not
 * thread-safe, so each calling thread gets its own, kept until {@link #close()}.
 */
final class EncoderModel implements AutoCloseable {

    private final EncoderManifest manifest;
    private final ZooModel<NDList, NDList> model;
    private final boolean fp16;
    private final Map<Thread, Predictor<NDList, NDList>> predictors = new ConcurrentHashMap<>();

    EncoderModel(EncoderManifest manifest, ZooModel<NDList, NDList> model, boolean fp16) {
        this.manifest = manifest;
        this.model = model;
        this.fp16 = fp16;
    }

    EncoderManifest manifest() {
        return manifest;
    }

    Device device() {
        return model.getNDManager().getDevice();
    }

    boolean fp16() {
        return fp16;
    }

    /** The {@code batchSize} embeddings of the batch, flat: image {@code i} at {@code i * embeddingSize}. */
    float[] forward(float[] chwBatch, int batchSize) {
        Predictor<NDList, NDList> predictor = predictors.computeIfAbsent(Thread.currentThread(),
                thread -> model.newPredictor());
        int side = manifest.inputSize();
        try (NDManager scope = model.getNDManager().newSubManager()) {
            NDArray input = scope.create(FloatBuffer.wrap(chwBatch, 0, batchSize * 3 * side * side),
                    new Shape(batchSize, 3, side, side));
            NDList output = predictor.predict(new NDList(fp16 ? input.toType(DataType.FLOAT16, false) : input));
            output.attach(scope);
            NDArray embeddings = fp16 ? output.get(0).toType(DataType.FLOAT32, false) : output.get(0);
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
