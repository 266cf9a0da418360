package dev.aidetect.tools.bench;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import dev.aidetect.imaging.Jpegs;

/**
 * The benchmark's photos: real photographs (scikit-image's sample photos from Debian's {@code python3-skimage}, or a
 * folder given instead) resized so the long side is 512 px (or another size asked for) and re-encoded as JPEG at
 * quality 90, written once.
 */
public final class BenchImages {
    /** Colour photographs among scikit-image's data files (others are synthetic, grey or tiny). */
    private static final List<String> PHOTOS = List.of("astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg",
            "motorcycle_left.png", "motorcycle_right.png", "hubble_deep_field.jpg", "retina.jpg", "ihc.png");
    public static final Path SKIMAGE_DATA = Path.of("/usr/lib/python3/dist-packages/skimage/data");
    /** The long side of the benchmark's JPEGs unless another is asked for. */
    public static final int LONG_SIDE = 512;
    private static final float QUALITY = 0.9f;

    private BenchImages() {
    }

    /**
     * The JPEGs in {@code dir}, writing them first from {@code source} (a folder of photos; null: scikit-image's)
     * with a long side of {@code longSide} pixels.
     *
     * @return the files, or an empty list when there is no source photo
     */
    public static List<Path> ensure(Path dir, Path source, int longSide) {
        try {
            if (!Files.isDirectory(dir) || listJpegs(dir).isEmpty()) {
                Files.createDirectories(dir);
                for (Path photo : sources(source)) {
                    BufferedImage image = ImageIO.read(photo.toFile());
                    if (image != null) {
                        String name = photo.getFileName().toString().replaceFirst("\\.[^.]+$", "") + ".jpg";
                        writeJpeg(resize(image, longSide), dir.resolve(name));
                    }
                }
            }
            return listJpegs(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare benchmark photos in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** {@code count} images' bytes, cycling through the files. */
    public static List<byte[]> read(List<Path> files, int count) {
        return cycle(files.stream().map(BenchImages::read).toList(), count);
    }

    /** {@code count} items, cycling through {@code distinct}. */
    static <T> List<T> cycle(List<T> distinct, int count) {
        List<T> images = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            images.add(distinct.get(i % distinct.size()));
        }
        return images;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static List<Path> sources(Path source) throws IOException {
        if (source != null) {
            try (Stream<Path> files = Files.list(source)) {
                return files.filter(p -> p.toString().matches("(?i).*\\.(jpe?g|png|bmp|gif)$")).sorted().toList();
            }
        }
        return PHOTOS.stream().map(SKIMAGE_DATA::resolve).filter(Files::isRegularFile).toList();
    }

    private static List<Path> listJpegs(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
        }
    }

    private static BufferedImage resize(BufferedImage image, int longSide) {
        double scale = (double) longSide / Math.max(image.getWidth(), image.getHeight());
        int width = (int) Math.round(image.getWidth() * scale);
        int height = (int) Math.round(image.getHeight() * scale);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(image, 0, 0, width, height, null);
        g.dispose();
        return out;
    }

    private static void writeJpeg(BufferedImage image, Path file) throws IOException {
        Files.write(file, Jpegs.encode(image, QUALITY));
    }
}
