package dev.aidetect.heads.attribution;

import java.awt.image.BufferedImage;
import java.util.List;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

/**
 * Inference on several views of one image ({@link TestViews}) as one batch: the views' crops in, each view's class
 * logits out, in the views' order. The translator builds the batch itself, so DJL adds no batch dimension.
 */
final class ViewsTranslator implements Translator<ViewsTranslator.Viewed, float[][]> {
    private final int cropSize;
    private final PixelInput input;

    /** An image and the views of it to score. */
    record Viewed(BufferedImage image, TestViews views) {
    }

    ViewsTranslator(int cropSize, PixelInput input) {
        this.cropSize = cropSize;
        this.input = input;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Viewed viewed) {
        List<TestViews.Offset> offsets = viewed.views().offsets();
        int plane = 3 * cropSize * cropSize;
        float[] batch = new float[offsets.size() * plane];
        for (int i = 0; i < offsets.size(); i++) {
            TestViews.Offset offset = offsets.get(i);
            System.arraycopy(PixelCrops.view(viewed.image(), cropSize, input, offset.dx(), offset.dy(),
                    offset.mirror()), 0, batch, i * plane, plane);
        }
        return new NDList(ctx.getNDManager().create(batch, new Shape(offsets.size(), 3, cropSize, cropSize)));
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList list) {
        float[] flat = list.singletonOrThrow().toFloatArray();
        int views = Math.toIntExact(list.singletonOrThrow().getShape().get(0));
        int classes = flat.length / views;
        float[][] logits = new float[views][classes];
        for (int i = 0; i < views; i++) {
            System.arraycopy(flat, i * classes, logits[i], 0, classes);
        }
        return logits;
    }

    @Override
    public Batchifier getBatchifier() {
        return null;
    }
}
