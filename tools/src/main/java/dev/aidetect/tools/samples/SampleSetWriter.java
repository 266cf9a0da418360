package dev.aidetect.tools.samples;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

import javax.imageio.ImageIO;

import dev.aidetect.imaging.Jpegs;

/**
 * Writes a labelled data set of {@link SyntheticGenerator} images in the layout the ingest tool reads
 * ({@code real/}, {@code fake/<family>/<generator>/}), plus {@code broken/} files. Same seed, same bytes.
 */
public final class SampleSetWriter {
    public static final String BROKEN_FOLDER = "broken";

    private SampleSetWriter() {
    }

    /** What was written. */
    public record Summary(Path root, int images, int broken) {
        public int total() {
            return images + broken;
        }
    }

    /**
     * @param perSource images per source (real and each generator)
     * @param size side of each image in pixels (a multiple of 8)
     * @param progress called with the number of images written so far
     */
    public static Summary write(Path root, List<SyntheticGenerator> sources, int perSource, int size, long seed,
            boolean withBroken, IntConsumer progress) {
        if (size % 8 != 0) {
            throw new IllegalArgumentException("image size must be a multiple of 8, got " + size);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int written = 0;
        byte[] lastJpeg = null;
        try {
            for (SyntheticGenerator source : sources) {
                Path dir = Files.createDirectories(root.resolve(source.folder()));
                String prefix = source.generator() == null ? "real" : source.generator();
                for (int i = 0; i < perSource; i++) {
                    BufferedImage image = SceneRenderer.toImage(source.render(rng.split(), size));
                    byte[] bytes = encode(image, source.extension());
                    if (source.extension().equals("jpg")) {
                        lastJpeg = bytes;
                    }
                    Files.write(dir.resolve(String.format("%s-%04d.%s", prefix, i, source.extension())), bytes);
                    progress.accept(++written);
                }
            }
            int broken = 0;
            if (withBroken) {
                Path dir = Files.createDirectories(root.resolve(BROKEN_FOLDER));
                byte[] jpeg = lastJpeg != null
                        ? lastJpeg
                        : encode(SceneRenderer.toImage(SyntheticGenerator.REAL.render(rng.split(), size)), "jpg");
                for (BrokenSample sample : BrokenSample.values()) {
                    Files.write(dir.resolve(sample.fileName()), sample.bytes(jpeg));
                    broken++;
                }
            }
            return new Summary(root, written, broken);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sample set under " + root + ": " + e.getMessage(), e);
        }
    }

    /** Encodes as PNG, or as JPEG at quality 0.9 (a typical camera/upload setting). */
    static byte[] encode(BufferedImage image, String extension) throws IOException {
        if (extension.equals("png")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        }
        return Jpegs.encode(image, 0.9f);
    }
}
