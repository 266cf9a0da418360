package dev.aidetect.imaging.decode;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which library decodes JPEG, the one format whose pixels differ between decoders. {@link #LIBJPEG_TURBO} is PIL's
 * decoder with PIL's settings, so a vector matches the Python reference's on every machine; {@link #IMAGEIO} is the
 * JDK's reader (libjpeg 6b): the same pixels for plain YCbCr files, but it converts embedded ICC profiles, which PIL
 * ignores, and cannot draft-decode. Other formats always go through ImageIO.
 */
public enum JpegDecoder {
    LIBJPEG_TURBO("libjpeg-turbo"), IMAGEIO("imageio");

    private final String id;

    JpegDecoder(String id) {
        this.id = id;
    }

    /** The name used in settings and recorded with every embedding. */
    public String id() {
        return id;
    }

    /** The decoder named {@code id} ({@code libjpeg-turbo} or {@code imageio}). */
    public static JpegDecoder parse(String id) {
        for (JpegDecoder decoder : values()) {
            if (decoder.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
                return decoder;
            }
        }
        throw new IllegalArgumentException("unknown JPEG decoder '" + id + "': use one of "
                + Arrays.stream(values()).map(JpegDecoder::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id;
    }
}
