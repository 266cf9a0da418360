package dev.aidetect.heads.attribution;

import java.awt.image.BufferedImage;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

/** Inference input and output of an attribution network: an image's centre crop in, the class logits out. */
final class CropTranslator implements Translator<BufferedImage, float[]> {
    private final int cropSize;
    private final PixelInput input;

    CropTranslator(int cropSize, PixelInput input) {
        this.cropSize = cropSize;
        this.input = input;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, BufferedImage image) {
        return new NDList(ctx.getNDManager().create(PixelCrops.centre(image, cropSize, input),
                new Shape(3, cropSize, cropSize)));
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        return list.singletonOrThrow().toFloatArray();
    }

    /** Class probabilities from logits, in double precision so that confidence only reaches 1 in the extreme. */
    static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double[] probabilities = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            probabilities[i] = Math.exp(logits[i] - max);
            sum += probabilities[i];
        }
        for (int i = 0; i < logits.length; i++) {
            probabilities[i] /= sum;
        }
        return probabilities;
    }
}
