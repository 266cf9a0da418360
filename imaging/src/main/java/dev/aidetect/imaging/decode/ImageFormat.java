package dev.aidetect.imaging.decode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * Container formats recognised from their magic bytes. A declared content type is never trusted: the bytes decide.
 * Formats with {@code decodable == false} are recognised images this build cannot decode yet.
 */
enum ImageFormat {
    JPEG("jpeg", true), PNG("png", true), GIF("gif", true), BMP("bmp", true), TIFF("tiff", true), WEBP("webp",
            true), HEIF("heif/avif", false);

    /** DIB header sizes of real BMP files (BITMAPCOREHEADER ... BITMAPV5HEADER); "BM" alone matches plain text. */
    private static final Set<Integer> BMP_HEADER_SIZES = Set.of(12, 16, 40, 52, 56, 64, 108, 124);
    private static final Set<String> HEIF_BRANDS = Set.of("heic", "heix", "hevc", "hevx", "mif1", "msf1", "avif",
            "avis");

    final String id;
    final boolean decodable;

    ImageFormat(String id, boolean decodable) {
        this.id = id;
        this.decodable = decodable;
    }

    static Optional<ImageFormat> sniff(byte[] b) {
        if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(JPEG);
        }
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of(PNG);
        }
        if (ascii(b, 0, 6).equals("GIF87a") || ascii(b, 0, 6).equals("GIF89a")) {
            return Optional.of(GIF);
        }
        if (ascii(b, 0, 2).equals("BM") && b.length >= 26 && BMP_HEADER_SIZES.contains(littleEndianInt(b, 14))) {
            return Optional.of(BMP);
        }
        if (startsWith(b, 0, 'I', 'I', 42, 0) || startsWith(b, 0, 'M', 'M', 0, 42)) {
            return Optional.of(TIFF);
        }
        if (ascii(b, 0, 4).equals("RIFF") && ascii(b, 8, 4).equals("WEBP")) {
            return Optional.of(WEBP);
        }
        if (ascii(b, 4, 4).equals("ftyp") && HEIF_BRANDS.contains(ascii(b, 8, 4))) {
            return Optional.of(HEIF);
        }
        return Optional.empty();
    }

    /** The first bytes, printable, for messages about content that is not an image. */
    static String describePrefix(byte[] b) {
        byte[] head = Arrays.copyOf(b, Math.min(b.length, 24));
        StringBuilder text = new StringBuilder();
        for (byte value : head) {
            int c = value & 0xFF;
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c >= 0x7F) {
                return "starts with bytes " + HexFormat.ofDelimiter(" ").formatHex(head);
            }
            text.append(Character.isWhitespace(c) ? ' ' : (char) c);
        }
        return "starts with text \"" + text.toString().strip() + "\"";
    }

    private static boolean startsWith(byte[] b, int offset, int... magic) {
        if (b.length < offset + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[offset + i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static String ascii(byte[] b, int offset, int length) {
        return b.length < offset + length ? "" : new String(b, offset, length, StandardCharsets.ISO_8859_1);
    }

    private static int littleEndianInt(byte[] b, int offset) {
        return (b[offset] & 0xFF) | (b[offset + 1] & 0xFF) << 8 | (b[offset + 2] & 0xFF) << 16
                | (b[offset + 3] & 0xFF) << 24;
    }
}
