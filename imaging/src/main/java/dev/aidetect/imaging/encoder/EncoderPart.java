package dev.aidetect.imaging.encoder;

/**
 * One model of an {@link ImageEncoder} and how to turn the encoder's preprocessed batch into that model's input:
 * normalisation is affine per channel, so an image normalised with the encoder's mean and std becomes one normalised
 * with the model's own by {@code x * scale + shift}. Identity (no copy) when the two agree.
 */
record EncoderPart(EncoderModel model, float[] scale, float[] shift, ThreadLocal<float[]> scratch) {

    /** {@code model} fed batches normalised as {@code shared} says. */
    EncoderPart(EncoderModel model, EncoderManifest shared) {
        this(model, scale(model.manifest(), shared), shift(model.manifest(), shared), new ThreadLocal<>());
    }

    /** The model's input: {@code batch} itself, or a renormalised copy in a buffer reused per thread. */
    float[] input(float[] batch, int batchSize, int perImage) {
        if (scale == null) {
            return batch;
        }
        float[] out = scratch.get();
        if (out == null || out.length < batchSize * perImage) {
            out = new float[batchSize * perImage];
            scratch.set(out);
        }
        int plane = perImage / 3;
        for (int i = 0; i < batchSize * perImage; i++) {
            int channel = i / plane % 3;
            out[i] = batch[i] * scale[channel] + shift[channel];
        }
        return out;
    }

    private static float[] scale(EncoderManifest own, EncoderManifest shared) {
        if (own.mean().equals(shared.mean()) && own.std().equals(shared.std())) {
            return null;
        }
        float[] scale = new float[3];
        for (int c = 0; c < 3; c++) {
            scale[c] = shared.std().get(c) / own.std().get(c);
        }
        return scale;
    }

    private static float[] shift(EncoderManifest own, EncoderManifest shared) {
        float[] shift = new float[3];
        for (int c = 0; c < 3; c++) {
            shift[c] = (shared.mean().get(c) - own.mean().get(c)) / own.std().get(c);
        }
        return shift;
    }
}
