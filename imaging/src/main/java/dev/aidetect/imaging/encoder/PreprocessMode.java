package dev.aidetect.imaging.encoder;

import java.util.Locale;

/** How an image becomes the encoder's square input; the manifest's {@code preprocess} field names one. */
public enum PreprocessMode {
    /** CLIP: bicubic resize of the short side to the input size (PIL's antialiased bicubic), then a centre crop. */
    CLIP,
    /**
     * UniversalFakeDetect: a centre crop of the input size without any resize, so generator fingerprints survive. A side
     * shorter than the input size is padded with black on both sides, as torchvision's {@code CenterCrop} does.
     */
    CROP,
    /**
     * SigLIP (Hugging Face's {@code SiglipImageProcessor}): a bicubic resize of the whole image to the input size on both
     * sides (PIL's antialiased bicubic), aspect ratio not kept, no crop.
     */
    RESIZE;

    /** Parses {@code clip}, {@code crop} or {@code resize}, as written in a manifest. */
    public static PreprocessMode parse(String name) {
        for (PreprocessMode mode : values()) {
            if (mode.name().equalsIgnoreCase(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown preprocess mode '" + name + "': use 'clip', 'crop' or 'resize'");
    }

    public String manifestName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
