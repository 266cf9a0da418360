package dev.aidetect.heads.attribution;

import java.awt.image.BufferedImage;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

/**
 * What an attribution network sees of an image beyond its decision: the logits and the penultimate features (the
 * pooled input of the final linear layer: 512 values for ResNet-18/34) of the image's five crops (centre first, then
 * the corners; see {@link PixelCrops#five}). Feature-space open-set scores (Mahalanobis distance to the class means,
 * distance to the nearest training features) are computed from the features.
 *
 * @param logits per crop, in class order
 * @param features per crop
 */
public record AttributionReadout(float[][] logits, float[][] features) {

    /** The centre crop's logits, as {@link AttributionNetwork#logits} serves them. */
    public float[] centreLogits() {
        return logits[0];
    }

    /** The centre crop's features. */
    public float[] centreFeatures() {
        return features[0];
    }

    /** Per-position mean over the crops of {@code rows}. */
    public static float[] mean(float[][] rows) {
        float[] mean = new float[rows[0].length];
        for (float[] row : rows) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += row[i] / rows.length;
            }
        }
        return mean;
    }

    /** Runs the five crops through a DJL-built network block by block, keeping the last linear layer's input. */
    static AttributionReadout read(Model model, int cropSize, PixelInput input, BufferedImage image) {
        if (!(model.getBlock() instanceof SequentialBlock network)) {
            throw new UnsupportedOperationException("attribution network " + model.getName()
                    + " is not a sequential DJL network, so its features cannot be read; retrain it with "
                    + "aidetect train attribution");
        }
        float[][] crops = PixelCrops.five(image, cropSize, input);
        int plane = crops[0].length;
        float[] batch = new float[crops.length * plane];
        for (int i = 0; i < crops.length; i++) {
            System.arraycopy(crops[i], 0, batch, i * plane, plane);
        }
        try (NDManager manager = model.getNDManager().newSubManager()) {
            ParameterStore parameters = new ParameterStore(manager, false);
            NDList current = new NDList(manager.create(batch, new Shape(crops.length, 3, cropSize, cropSize)));
            NDArray features = null;
            for (Pair<String, Block> child : network.getChildren()) {
                if (child.getValue() instanceof Linear) {
                    features = current.singletonOrThrow();
                }
                current = child.getValue().forward(parameters, current, false);
            }
            if (features == null) {
                throw new IllegalStateException("attribution network " + model.getName()
                        + " has no final linear layer to read features before");
            }
            return new AttributionReadout(rows(current.singletonOrThrow(), crops.length), rows(features,
                    crops.length));
        }
    }

    private static float[][] rows(NDArray array, int count) {
        float[] flat = array.toFloatArray();
        int width = flat.length / count;
        float[][] rows = new float[count][width];
        for (int i = 0; i < count; i++) {
            System.arraycopy(flat, i * width, rows[i], 0, width);
        }
        return rows;
    }
}
