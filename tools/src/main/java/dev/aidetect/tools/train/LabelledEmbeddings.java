package dev.aidetect.tools.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

import dev.aidetect.imaging.decode.DecodeLimits;
import dev.aidetect.imaging.decode.DecodedImage;
import dev.aidetect.imaging.decode.ImageDecoder;
import dev.aidetect.imaging.decode.ImageRejectedException;
import dev.aidetect.imaging.encoder.ImageEncoder;
import dev.aidetect.imaging.encoder.Preprocessor;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.tools.dataset.LabelledImage;

/**
 * Labelled encoder vectors to train heads on, all from one encoder: embedded here from labelled image files, in
 * batches, exactly as the embedder service decodes and preprocesses them (same decoder, same preprocessor), so heads
 * train on the vectors they will see in production; or gathered from {@code ImageEmbedding} records
 * ({@link EmbeddingCollector}).
 *
 * @param encoderId the encoder that made every vector
 * @param skipped inputs left out, and why
 */
public record LabelledEmbeddings(String encoderId, List<float[]> vectors, List<ImageLabel> labels,
        List<String> skipped) {
    private static final int BATCH = 16;

    public static LabelledEmbeddings embed(ImageEncoder encoder, List<LabelledImage> images, IntConsumer progress) {
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.defaults());
        Preprocessor preprocessor = encoder.preprocessor();
        int floats = preprocessor.floatsPerImage();
        float[] batch = new float[BATCH * floats];
        List<ImageLabel> pending = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        List<ImageLabel> labels = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        int done = 0;
        for (LabelledImage image : images) {
            if (image.label() == null) {
                skipped.add(image.file() + ": no label (not under real/ or fake/<family>/<generator>/)");
                continue;
            }
            try {
                DecodedImage decoded = decoder.decode(Files.readAllBytes(image.file()));
                preprocessor.preprocess(decoded.rgb(), batch, pending.size() * floats);
                pending.add(image.label());
            } catch (ImageRejectedException e) {
                skipped.add(image.file() + ": " + e.reason() + " " + e.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + image.file() + ": " + e.getMessage(), e);
            }
            if (pending.size() == BATCH) {
                flush(encoder, batch, pending, vectors, labels);
            }
            progress.accept(++done);
        }
        flush(encoder, batch, pending, vectors, labels);
        return new LabelledEmbeddings(encoder.id(), vectors, labels, skipped);
    }

    private static void flush(ImageEncoder encoder, float[] batch, List<ImageLabel> pending, List<float[]> vectors,
            List<ImageLabel> labels) {
        if (pending.isEmpty()) {
            return;
        }
        float[][] out = encoder.embed(batch, pending.size());
        for (int i = 0; i < pending.size(); i++) {
            vectors.add(out[i]);
            labels.add(pending.get(i));
        }
        pending.clear();
    }
}
