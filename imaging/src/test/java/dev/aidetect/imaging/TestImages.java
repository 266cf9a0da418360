package dev.aidetect.imaging;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

/** Images and crafted byte streams for tests. */
final class TestImages {

    private TestImages() {
    }

    /** A deterministic colour pattern that makes every pixel position distinguishable. */
    static BufferedImage pattern(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 7 + y * 3) % 256 << 16 | (x * x + y) % 256 << 8 | (x * y) % 256);
            }
        }
        return image;
    }

    static BufferedImage filled(int width, int height, int type, int argb) {
        BufferedImage image = new BufferedImage(width, height, type);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, argb);
            }
        }
        return image;
    }

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalArgumentException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A PNG whose IHDR (with a valid CRC) claims the given size, followed by a token IDAT and IEND. */
    static byte[] pngClaiming(int width, int height) {
        ByteBuffer png = ByteBuffer.allocate(8 + 25 + 12 + 12);
        png.put(new byte[]{(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put(new byte[]{8, 2, 0, 0, 0}).array());
        chunk(png, "IDAT", new byte[0]);
        chunk(png, "IEND", new byte[0]);
        return png.array();
    }

    private static void chunk(ByteBuffer png, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        png.putInt(data.length).put(typeBytes).put(data).putInt((int) crc.getValue());
    }

    /** Per-channel absolute differences of two packed RGB images of the same size. */
    static IntStream channelDiffs(int[] a, int[] b) {
        return IntStream.range(0, 3 * a.length)
                .map(i -> Math.abs((a[i / 3] >>> 8 * (i % 3) & 0xFF) - (b[i / 3] >>> 8 * (i % 3) & 0xFF)));
    }

    /** Absolute differences of two tensors of the same size, value by value. */
    static DoubleStream tensorDiffs(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("tensors of " + a.length + " and " + b.length + " values");
        }
        return IntStream.range(0, a.length).mapToDouble(i -> Math.abs(a[i] - b[i]));
    }

    static byte[] text(String content) {
        return content.getBytes(StandardCharsets.UTF_8);
    }

    /** The repository root, passed in by surefire as {@code aidetect.project.root}. */
    static Path projectRoot() {
        String root = System.getProperty("aidetect.project.root");
        if (root == null) {
            throw new IllegalStateException(
                    "system property aidetect.project.root is not set: run the tests through Maven");
        }
        return Path.of(root);
    }

    static Path tinyEncoderManifest() {
        Path manifest = projectRoot().resolve("deploy/models/tiny-clip-vit/manifest.json");
        if (!Files.isRegularFile(manifest)) {
            throw new IllegalStateException(
                    manifest + " is missing: run deploy/models/make_encoder.py (see deploy/models/README.md)");
        }
        return manifest;
    }

    /** A committed fixture from {@code src/test/resources/formats}. */
    static byte[] fixture(String name) {
        try (InputStream in = TestImages.class.getResourceAsStream("/formats/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test fixture formats/" + name + " is missing: run "
                        + "src/test/python/make_fixtures.py");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
