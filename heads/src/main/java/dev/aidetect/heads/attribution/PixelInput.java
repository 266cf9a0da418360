package dev.aidetect.heads.attribution;

import java.util.Locale;

/**
 * What a network on pixels sees of its crop: the 3x3 noise residual (the attribution networks: tells generators apart
 * by the pattern their upsampling leaves) or the plain RGB values scaled to [-1, 1] (the detection network on small
 * images, where content and colour statistics carry much of the real/fake signal and the residual of a 32x32 JPEG is
 * mostly compression noise).
 */
public enum PixelInput {
    RESIDUAL, RGB;

    /** The name artifacts and the command line use: {@code residual}, {@code rgb}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code residual} or {@code rgb}; {@code null} (an artifact written before the choice existed) is the residual. */
    public static PixelInput of(String label) {
        if (label == null) {
            return RESIDUAL;
        }
        for (PixelInput input : values()) {
            if (input.label().equals(label.strip().toLowerCase(Locale.ROOT))) {
                return input;
            }
        }
        throw new IllegalArgumentException("unknown pixel input '" + label + "'; use residual or rgb");
    }
}
