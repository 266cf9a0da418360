package dev.aidetect.tools.train;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
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
        return embed(encoder, images, rgb -> List.of(), progress).data();
    }

    /**
     * Vectors of labelled images and of copies made of each one's decoded pixels (augmented copies, say).
     *
     * @param copies {@code copies.get(i)}: the vectors of the copies of the image of {@code data.vectors().get(i)}
     */
    public record WithCopies(LabelledEmbeddings data, List<List<float[]>> copies) {
        public int copyCount() {
            return copies.stream().mapToInt(List::size).sum();
        }
    }

    /** One image to embed: an original (its label kept) or a copy of the original with vector index {@code of}. */
    private record Slot(ImageLabel label, int copyOf) {
    }

    /**
     * As {@link #embed(ImageEncoder, List, IntConsumer)}, also embedding the copies {@code copier} makes of each
     * decoded image (none: an empty list).
     */
    public static WithCopies embed(ImageEncoder encoder, List<LabelledImage> images,
            Function<BufferedImage, List<BufferedImage>> copier, IntConsumer progress) {
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.defaults());
        Preprocessor preprocessor = encoder.preprocessor();
        int floats = preprocessor.floatsPerImage();
        float[] batch = new float[BATCH * floats];
        List<Slot> pending = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        List<ImageLabel> labels = new ArrayList<>();
        List<List<float[]>> copies = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Runnable flush = () -> flush(encoder, batch, pending, vectors, labels, copies);
        int done = 0;
        for (LabelledImage image : images) {
            if (image.label() == null) {
                skipped.add(image.file() + ": no label (not under real/ or fake/<family>/<generator>/)");
                continue;
            }
            try {
                DecodedImage decoded = decoder.decode(Files.readAllBytes(image.file()));
                int index = copies.size();
                copies.add(new ArrayList<>());
                enqueue(preprocessor, decoded.rgb(), new Slot(image.label(), -1), batch, pending, flush);
                for (BufferedImage copy : copier.apply(decoded.rgb())) {
                    enqueue(preprocessor, copy, new Slot(image.label(), index), batch, pending, flush);
                }
            } catch (ImageRejectedException e) {
                skipped.add(image.file() + ": " + e.reason() + " " + e.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + image.file() + ": " + e.getMessage(), e);
            }
            progress.accept(++done);
        }
        flush.run();
        return new WithCopies(new LabelledEmbeddings(encoder.id(), vectors, labels, skipped), copies);
    }

    private static void enqueue(Preprocessor preprocessor, BufferedImage rgb, Slot slot, float[] batch,
            List<Slot> pending, Runnable flush) {
        preprocessor.preprocess(rgb, batch, pending.size() * preprocessor.floatsPerImage());
        pending.add(slot);
        if (pending.size() == BATCH) {
            flush.run();
        }
    }

    private static void flush(ImageEncoder encoder, float[] batch, List<Slot> pending, List<float[]> vectors,
            List<ImageLabel> labels, List<List<float[]>> copies) {
        if (pending.isEmpty()) {
            return;
        }
        float[][] out = encoder.embed(batch, pending.size());
        for (int i = 0; i < pending.size(); i++) {
            Slot slot = pending.get(i);
            if (slot.copyOf() < 0) {
                vectors.add(out[i]);
                labels.add(slot.label());
            } else {
                copies.get(slot.copyOf()).add(out[i]);
            }
        }
        pending.clear();
    }
}
