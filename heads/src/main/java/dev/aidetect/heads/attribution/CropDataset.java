package dev.aidetect.heads.attribution;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;
import java.util.Set;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;

/**
 * Labelled images as DJL training records: a fresh random crop and flip on every visit when augmenting (training),
 * the centre crop otherwise (validation). Labels are class indices, as softmax cross-entropy expects.
 */
final class CropDataset extends RandomAccessDataset {
    private final List<BufferedImage> images;
    private final int[] labels;
    private final int cropSize;
    private final PixelInput input;
    private final Random augment;
    private final Set<Augmentation> augmentations;
    private final int pad;

    private CropDataset(Builder builder, PixelInput input, Set<Augmentation> augmentations, int pad) {
        super(builder);
        this.images = builder.images;
        this.labels = builder.labels;
        this.cropSize = builder.cropSize;
        this.input = input;
        this.augment = builder.augment;
        this.augmentations = augmentations;
        this.pad = pad;
    }

    /**
     * @param augment random crops and flips from this generator, or {@code null} for centre crops
     * @param augmentations applied to some random crops; ignored for centre crops
     * @param pad mid-grey border around the image before a random crop; ignored for centre crops
     */
    static CropDataset of(List<BufferedImage> images, int[] labels, int cropSize, PixelInput input, int batchSize,
            Random augment, Set<Augmentation> augmentations, int pad) {
        Builder builder = new Builder(images, labels, cropSize, augment);
        // Training drops a last short batch: a batch of one breaks batch normalisation.
        return new CropDataset(builder.setSampling(batchSize, augment != null, augment != null), input,
                augmentations, pad);
    }

    @Override
    public Record get(NDManager manager, long index) {
        BufferedImage image = images.get(Math.toIntExact(index));
        float[] pixels = augment == null
                ? PixelCrops.centre(image, cropSize, input)
                : PixelCrops.random(PixelCrops.padded(image, pad), cropSize, input, augment, augmentations);
        return new Record(new NDList(manager.create(pixels, new Shape(3, cropSize, cropSize))),
                new NDList(manager.create((float) labels[Math.toIntExact(index)])));
    }

    @Override
    protected long availableSize() {
        return images.size();
    }

    @Override
    public void prepare(ai.djl.util.Progress progress) {
        // In memory already.
    }

    private static final class Builder extends BaseBuilder<Builder> {
        private final List<BufferedImage> images;
        private final int[] labels;
        private final int cropSize;
        private final Random augment;

        Builder(List<BufferedImage> images, int[] labels, int cropSize, Random augment) {
            this.images = images;
            this.labels = labels;
            this.cropSize = cropSize;
            this.augment = augment;
        }

        @Override
        protected Builder self() {
            return this;
        }
    }
}
