package dev.aidetect.tools.samples;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.imageio.ImageIO;

import dev.aidetect.schemas.RejectReason;

/**
 * The files an upload stream really sees that are not plain, well-formed photos, each with what the pipeline must do
 * with it: a specific rejection reason, or a decided verdict for unusual but valid images (CMYK, 16-bit, palette,
 * grey, animated, polyglot, odd EXIF). Deterministic: the same bytes on every run, generated here rather than
 * committed, so that the corpus documents how each file is made. {@code ./aidetect samples --bad-inputs DIR} writes
 * it with a manifest; {@code BadInputCorpusTest} runs every file through the services' decoder and
 * {@code BadInputCorpusEndToEndIT} through the packaged pipeline.
 */
public final class BadInputCorpus {
    /** The WebP images come from Pillow (Debian python3-pil), 16x16; Java has no WebP writer. */
    private static final byte[] WEBP_LOSSLESS = Base64.getDecoder()
            .decode("UklGRh4AAABXRUJQVlA4TBEAAAAvD8ADAAdQjyLXo/+BiOh/AAA=");
    private static final byte[] WEBP_LOSSY = Base64.getDecoder().decode(
            "UklGRjoAAABXRUJQVlA4IC4AAACwAQCdASoQABAAAUAmJaACdLoABDAAAP7x3I/4DdfFtMv/vYL/3YL/3YL/WwAA");
    private static final byte[] WEBP_ANIMATED = Base64.getDecoder().decode(
            "UklGRogAAABXRUJQVlA4WAoAAAACAAAADwAADwAAQU5JTQYAAAAAAAAAAABBTk1GKgAAAAAAAAAAAA8AAA8AAGQAAAJWUDhMEQAAAC8P"
                    + "wAMAB1CPItej/4GI6H8AAEFOTUYqAAAAAAAAAAAADwAADwAAZAAAAFZQOEwRAAAALw/AAwAHUOR61KP/gYjofwAA");

    /**
     * One input and its required ending.
     *
     * @param name file name, unique in the corpus (its extension is what an uploader would call it)
     * @param what what the file is, for the manifest and test output
     * @param reason the rejection reason the pipeline must give, or empty when the image must be decided
     */
    public record BadInput(String name, String what, Optional<RejectReason> reason, Supplier<byte[]> bytes) {
        static BadInput rejected(String name, String what, RejectReason reason, Supplier<byte[]> bytes) {
            return new BadInput(name, what, Optional.of(reason), bytes);
        }

        static BadInput decided(String name, String what, Supplier<byte[]> bytes) {
            return new BadInput(name, what, Optional.empty(), bytes);
        }

        /** {@code DECIDED} or the reason's name, as the manifest writes it. */
        public String expected() {
            return reason.map(Enum::name).orElse("DECIDED");
        }
    }

    private BadInputCorpus() {
    }

    /** Every file-level input, in a fixed order. */
    public static List<BadInput> files() {
        List<BadInput> all = new ArrayList<>();
        // Not images at all.
        all.add(BadInput.rejected("empty.jpg", "zero bytes", RejectReason.NOT_AN_IMAGE, () -> new byte[0]));
        all.add(BadInput.rejected("page.jpg", "an HTML page named .jpg", RejectReason.NOT_AN_IMAGE,
                () -> ascii("<!DOCTYPE html><html><body><img src=\"cat.jpg\"></body></html>\n")));
        all.add(BadInput.rejected("drawing.svg", "an SVG drawing (vector, not raster)", RejectReason.NOT_AN_IMAGE,
                () -> ascii("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" "
                        + "height=\"64\"><circle cx=\"32\" cy=\"32\" r=\"20\" fill=\"red\"/></svg>\n")));
        all.add(BadInput.rejected("document.pdf", "a PDF document", RejectReason.NOT_AN_IMAGE, BadInputCorpus::pdf));
        all.add(BadInput.rejected("notes.txt", "plain text", RejectReason.NOT_AN_IMAGE,
                () -> ascii("these are not the pixels you are looking for\n")));
        all.add(BadInput.rejected("archive.zip", "a ZIP archive holding a JPEG", RejectReason.NOT_AN_IMAGE,
                () -> zip(jpeg(photo(64, 48)))));
        all.add(BadInput.rejected("random.bin", "4 KiB of random bytes", RejectReason.NOT_AN_IMAGE,
                () -> random(4096, 7)));
        all.add(BadInput.rejected("photo.heic", "an HEIF container (ftyp heic), a format the pipeline does not decode",
                RejectReason.UNSUPPORTED_FORMAT, BadInputCorpus::heif));
        // Broken images.
        all.add(BadInput.rejected("truncated.jpg", "a JPEG cut at 40% of its bytes", RejectReason.CORRUPT,
                () -> cut(jpeg(photo(320, 240)), 0.4)));
        all.add(BadInput.rejected("header-only.jpg", "a JPEG's SOI and APP0, then nothing", RejectReason.CORRUPT,
                () -> Arrays.copyOf(jpeg(photo(64, 48)), 20)));
        all.add(BadInput.rejected("garbage-after-soi.jpg", "JPEG magic bytes followed by random bytes",
                RejectReason.CORRUPT, () -> concat(new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF},
                        random(4096, 11))));
        all.add(BadInput.rejected("truncated.png", "a PNG cut at half of its bytes", RejectReason.CORRUPT,
                () -> cut(png(photo(320, 240)), 0.5)));
        all.add(BadInput.rejected("corrupt-deflate.png", "a PNG whose compressed image data is overwritten midway",
                RejectReason.CORRUPT, () -> corruptIdat(png(photo(160, 120)))));
        all.add(BadInput.decided("bad-crc.png",
                "a PNG whose image data's CRC is wrong but whose data is intact (decoded, as browsers and ImageIO do)",
                () -> badIdatCrc(png(photo(64, 48)))));
        all.add(BadInput.rejected("truncated.gif", "a GIF cut at half of its bytes", RejectReason.CORRUPT,
                () -> cut(gif(photo(160, 120)), 0.5)));
        all.add(BadInput.rejected("truncated.webp", "a WebP cut at half of its bytes", RejectReason.CORRUPT,
                () -> cut(WEBP_LOSSY, 0.5)));
        all.add(BadInput.rejected("truncated.tiff", "a TIFF cut at a third of its bytes", RejectReason.CORRUPT,
                () -> cut(write(photo(160, 120), "tiff"), 0.33)));
        // Decompression bombs: headers claiming far more pixels than the limit, and compressed data that inflates
        // to gigabytes.
        all.add(BadInput.rejected("bomb.png", "a PNG header claiming 100,000 x 100,000 pixels",
                RejectReason.TOO_MANY_PIXELS, () -> BrokenSample.pngHeaderClaiming(100_000, 100_000)));
        all.add(BadInput.rejected("bomb.jpg",
                "a valid small JPEG whose frame header is patched to claim 65,000 x 65,000 pixels",
                RejectReason.TOO_MANY_PIXELS, () -> jpegClaiming(jpeg(photo(64, 48)), 65_000, 65_000)));
        all.add(BadInput.rejected("bomb.gif", "a GIF whose screen and frame claim 65,535 x 65,535 pixels",
                RejectReason.TOO_MANY_PIXELS, BadInputCorpus::gifBomb));
        all.add(BadInput.rejected("bomb.bmp", "an RLE8 BMP of 30,000 x 30,000 pixels in 1 KB (end of bitmap at once)",
                RejectReason.TOO_MANY_PIXELS, () -> rleBmp(30_000, 30_000)));
        all.add(BadInput.rejected("zlib-bomb.png",
                "a real 10,000 x 10,000 PNG of one colour: 300 MB of pixels deflated to a few hundred KB",
                RejectReason.TOO_MANY_PIXELS, () -> solidPng(10_000, 10_000)));
        all.add(BadInput.rejected("huge.jpg", "21 MiB: a valid JPEG padded past the 20 MiB limit",
                RejectReason.TOO_LARGE, () -> concat(jpeg(photo(64, 48)), new byte[21 * 1024 * 1024])));
        // Valid, unusual images: decided like any photo.
        all.add(BadInput.decided("cmyk.jpg", "a CMYK JPEG (Adobe APP14, as print workflows write)",
                () -> cmykJpeg(photo(96, 64))));
        all.add(BadInput.decided("grey.jpg", "a greyscale JPEG", () -> jpeg(grey(photo(96, 64)))));
        all.add(BadInput.decided("grey16.png", "a 16-bit greyscale PNG", () -> png(grey16(96, 64))));
        all.add(BadInput.decided("rgb48.png", "a 16-bit-per-channel RGB PNG", () -> png(rgb48(96, 64))));
        all.add(BadInput.decided("palette.png", "a palette (indexed) PNG", () -> png(palette(96, 64))));
        all.add(BadInput.decided("alpha.png", "an RGBA PNG with transparency", () -> png(alpha(photo(96, 64)))));
        all.add(BadInput.decided("animated.gif", "an animated GIF of three frames (the first is judged)",
                () -> animatedGif(photo(96, 64))));
        all.add(BadInput.decided("lossless.webp", "a lossless WebP", () -> WEBP_LOSSLESS.clone()));
        all.add(BadInput.decided("animated.webp", "an animated WebP of two frames", () -> WEBP_ANIMATED.clone()));
        all.add(BadInput.decided("one-pixel.png", "a 1 x 1 image", () -> png(photo(1, 1))));
        all.add(BadInput.decided("sliver.png", "an image 4,000 pixels wide and 1 high", () -> png(photo(4000, 1))));
        all.add(BadInput.decided("polyglot.jpg", "a JPEG with a ZIP archive appended (a JPEG/ZIP polyglot)",
                () -> {
                    byte[] image = jpeg(photo(96, 64));
                    return concat(image, zip(image));
                }));
        all.add(BadInput.decided("exif-orientation-99.jpg", "a JPEG whose EXIF orientation is 99 (out of range)",
                () -> withExif(jpeg(photo(96, 64)), exifOrientation(99, false))));
        all.add(BadInput.decided("exif-loop.jpg", "a JPEG whose EXIF IFD points back at itself (a loop)",
                () -> withExif(jpeg(photo(96, 64)), exifOrientation(6, true))));
        all.add(BadInput.decided("huge-icc.jpg", "a JPEG carrying a 4 MiB ICC profile in 65 APP2 segments",
                () -> withIcc(jpeg(photo(96, 64)), 4 * 1024 * 1024)));
        return List.copyOf(all);
    }

    /**
     * Writes every file and a {@code manifest.tsv} (file, expected ending, what it is) into {@code dir}.
     *
     * @return the files written, in corpus order
     */
    public static List<Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        StringBuilder manifest = new StringBuilder("file\texpected\twhat\n");
        for (BadInput input : files()) {
            Path file = dir.resolve(input.name());
            Files.write(file, input.bytes().get());
            written.add(file);
            manifest.append(input.name()).append('\t').append(input.expected()).append('\t').append(input.what())
                    .append('\n');
        }
        Files.writeString(dir.resolve("manifest.tsv"), manifest);
        return written;
    }

    // --- images -----------------------------------------------------------------------------------------------

    /** A smooth photo-like RGB picture, so that encoders produce ordinary files. */
    static BufferedImage photo(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(40, 90, 160), width, height, new Color(220, 180, 90)));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(250, 250, 240));
        g.fillOval(width / 4, height / 4, Math.max(1, width / 2), Math.max(1, height / 2));
        g.dispose();
        return image;
    }

    private static BufferedImage grey(BufferedImage rgb) {
        BufferedImage grey = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = grey.createGraphics();
        g.drawImage(rgb, 0, 0, null);
        g.dispose();
        return grey;
    }

    private static BufferedImage grey16(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster raster = image.getRaster();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setSample(x, y, 0, (x * 65535 / Math.max(1, width - 1) + y * 97) & 0xFFFF);
            }
        }
        return image;
    }

    private static BufferedImage rgb48(int width, int height) {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                java.awt.Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setPixel(x, y, new int[]{x * 65535 / Math.max(1, width - 1), y * 65535 / Math.max(1, height - 1),
                        40_000});
            }
        }
        return new BufferedImage(model, raster, false, null);
    }

    private static BufferedImage palette(int width, int height) {
        byte[] r = new byte[16];
        byte[] g = new byte[16];
        byte[] b = new byte[16];
        for (int i = 0; i < 16; i++) {
            r[i] = (byte) (i * 16);
            g[i] = (byte) (255 - i * 16);
            b[i] = (byte) (i * 8 + 64);
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(4, 16, r, g, b));
        WritableRaster raster = image.getRaster();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setSample(x, y, 0, (x / 6 + y / 4) % 16);
            }
        }
        return image;
    }

    private static BufferedImage alpha(BufferedImage rgb) {
        BufferedImage image = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < rgb.getHeight(); y++) {
            for (int x = 0; x < rgb.getWidth(); x++) {
                int a = (x * 255 / Math.max(1, rgb.getWidth() - 1)) << 24;
                image.setRGB(x, y, a | (rgb.getRGB(x, y) & 0xFFFFFF));
            }
        }
        return image;
    }

    // --- encodings ----------------------------------------------------------------------------------------------

    static byte[] jpeg(BufferedImage image) {
        return write(image, "jpeg");
    }

    static byte[] png(BufferedImage image) {
        return write(image, "png");
    }

    private static byte[] gif(BufferedImage image) {
        return write(image, "gif");
    }

    private static byte[] write(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format + " and " + image);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An Adobe CMYK JPEG: ImageIO's writer takes a four-band raster and writes it with an APP14 marker. */
    private static byte[] cmykJpeg(BufferedImage rgb) {
        WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, rgb.getWidth(), rgb.getHeight(), 4,
                null);
        for (int y = 0; y < rgb.getHeight(); y++) {
            for (int x = 0; x < rgb.getWidth(); x++) {
                int p = rgb.getRGB(x, y);
                int r = p >> 16 & 0xFF;
                int g = p >> 8 & 0xFF;
                int b = p & 0xFF;
                int k = 255 - Math.max(r, Math.max(g, b));
                // Adobe JPEGs store CMYK inverted.
                cmyk.setPixel(x, y, new int[]{r + k, g + k, b + k, 255 - k});
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var stream = ImageIO.createImageOutputStream(out)) {
            var writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            writer.setOutput(stream);
            writer.write(null, new javax.imageio.IIOImage(cmyk, null, null), writer.getDefaultWriteParam());
            writer.dispose();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] animatedGif(BufferedImage first) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var stream = ImageIO.createImageOutputStream(out)) {
            var writer = ImageIO.getImageWritersByFormatName("gif").next();
            writer.setOutput(stream);
            writer.prepareWriteSequence(null);
            for (int frame = 0; frame < 3; frame++) {
                BufferedImage image = frame == 0 ? first : photo(first.getWidth() - frame * 8, first.getHeight());
                writer.writeToSequence(new javax.imageio.IIOImage(image, null, null), null);
            }
            writer.endWriteSequence();
            writer.dispose();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The JPEG with the height and width of its (first) frame header replaced. */
    private static byte[] jpegClaiming(byte[] jpeg, int width, int height) {
        byte[] patched = jpeg.clone();
        for (int at = 2; at + 9 < patched.length;) {
            int marker = patched[at + 1] & 0xFF;
            int length = (patched[at + 2] & 0xFF) << 8 | patched[at + 3] & 0xFF;
            if (marker >= 0xC0 && marker <= 0xC2) {
                patched[at + 5] = (byte) (height >> 8);
                patched[at + 6] = (byte) height;
                patched[at + 7] = (byte) (width >> 8);
                patched[at + 8] = (byte) width;
                return patched;
            }
            at += 2 + length;
        }
        throw new IllegalStateException("no frame header in the JPEG");
    }

    private static byte[] gifBomb() {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("GIF89a")).putShort((short) 0xFFFF).putShort((short) 0xFFFF).put((byte) 0).put((byte) 0)
                .put((byte) 0);
        b.put((byte) 0x2C).putShort((short) 0).putShort((short) 0).putShort((short) 0xFFFF).putShort((short) 0xFFFF)
                .put((byte) 0);
        b.put((byte) 2).put((byte) 2).put((byte) 0x4C).put((byte) 0x01).put((byte) 0).put((byte) 0x3B);
        return Arrays.copyOf(b.array(), b.position());
    }

    /** An 8-bit RLE BMP whose data is one end-of-bitmap code: every pixel is palette entry 0. */
    private static byte[] rleBmp(int width, int height) {
        int palette = 256 * 4;
        int offset = 14 + 40 + palette;
        ByteBuffer b = ByteBuffer.allocate(offset + 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("BM")).putInt(offset + 2).putInt(0).putInt(offset);
        b.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) 8).putInt(1).putInt(2)
                .putInt(2835).putInt(2835).putInt(256).putInt(0);
        for (int i = 0; i < 256; i++) {
            b.put((byte) i).put((byte) i).put((byte) i).put((byte) 0);
        }
        b.put((byte) 0).put((byte) 1);
        return b.array();
    }

    /** A genuine PNG of one colour: every row is a filter byte and zeros, which deflate by a factor of ~1000. */
    private static byte[] solidPng(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        byte[] row = new byte[1 + width * 3];
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        for (int y = 0; y < height; y++) {
            deflater.setInput(row);
            while (!deflater.needsInput()) {
                idat.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            idat.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        chunk(out, "IDAT", idat.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] typeBytes = ascii(type);
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** The PNG with the CRC of its first IDAT chunk flipped. */
    private static byte[] badIdatCrc(byte[] png) {
        byte[] broken = png.clone();
        int at = firstIdat(broken);
        int crcAt = at + 8 + chunkLength(broken, at);
        broken[crcAt] = (byte) ~broken[crcAt];
        return broken;
    }

    /** The PNG with the middle of its first IDAT chunk's deflate stream overwritten (its CRC fixed to match). */
    private static byte[] corruptIdat(byte[] png) {
        byte[] broken = png.clone();
        int at = firstIdat(broken);
        int length = chunkLength(broken, at);
        byte[] noise = random(Math.max(8, length / 4), 5);
        System.arraycopy(noise, 0, broken, at + 8 + length / 3, Math.min(noise.length, length / 2));
        CRC32 crc = new CRC32();
        crc.update(broken, at + 4, 4 + length);
        ByteBuffer.wrap(broken, at + 8 + length, 4).putInt((int) crc.getValue());
        return broken;
    }

    /** Where the PNG's first IDAT chunk starts (its length field). */
    private static int firstIdat(byte[] png) {
        for (int at = 8; at + 8 <= png.length; at += 12 + chunkLength(png, at)) {
            if (new String(png, at + 4, 4, StandardCharsets.US_ASCII).equals("IDAT")) {
                return at;
            }
        }
        throw new IllegalStateException("no IDAT chunk in the PNG");
    }

    private static int chunkLength(byte[] png, int at) {
        return ByteBuffer.wrap(png, at, 4).getInt();
    }

    /** The JPEG with an APP1 EXIF segment inserted after SOI. */
    private static byte[] withExif(byte[] jpeg, byte[] tiff) {
        byte[] payload = concat(ascii("Exif\0\0"), tiff);
        return insertAfterSoi(jpeg, segment(0xE1, payload));
    }

    /**
     * A little-endian TIFF header with one IFD holding the orientation; {@code loop}: the IFD's next-IFD offset
     * points at itself, which a naive reader follows forever.
     */
    private static byte[] exifOrientation(int orientation, boolean loop) {
        ByteBuffer b = ByteBuffer.allocate(8 + 2 + 12 + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        b.putShort((short) 1);
        b.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        b.putInt(loop ? 8 : 0);
        return b.array();
    }

    /** The JPEG with an ICC profile of {@code size} bytes split into APP2 ICC_PROFILE segments. */
    private static byte[] withIcc(byte[] jpeg, int size) {
        byte[] profile = random(size, 3);
        int chunk = 65_000;
        int count = (size + chunk - 1) / chunk;
        ByteArrayOutputStream segments = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            byte[] part = Arrays.copyOfRange(profile, i * chunk, Math.min(size, (i + 1) * chunk));
            byte[] header = concat(ascii("ICC_PROFILE\0"), new byte[]{(byte) (i + 1), (byte) count});
            segments.writeBytes(segment(0xE2, concat(header, part)));
        }
        return insertAfterSoi(jpeg, segments.toByteArray());
    }

    private static byte[] segment(int marker, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + payload.length);
        b.put((byte) 0xFF).put((byte) marker).putShort((short) (payload.length + 2)).put(payload);
        return b.array();
    }

    private static byte[] insertAfterSoi(byte[] jpeg, byte[] inserted) {
        return concat(Arrays.copyOf(jpeg, 2), inserted, Arrays.copyOfRange(jpeg, 2, jpeg.length));
    }

    private static byte[] pdf() {
        return ascii("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] "
                + "/Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    }

    private static byte[] heif() {
        ByteBuffer b = ByteBuffer.allocate(32);
        b.putInt(24).put(ascii("ftypheic")).putInt(0).put(ascii("mif1heic"));
        b.putInt(8).put(ascii("meta"));
        return b.array();
    }

    private static byte[] zip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            ZipEntry entry = new ZipEntry("photo.jpg");
            entry.setTime(0);
            zip.putNextEntry(entry);
            zip.write(content);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new java.util.SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] cut(byte[] bytes, double share) {
        return Arrays.copyOf(bytes, (int) (bytes.length * share));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
