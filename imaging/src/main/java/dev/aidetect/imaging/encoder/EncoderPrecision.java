package dev.aidetect.imaging.encoder;

import java.util.Locale;

/**
 * The number format an encoder's forward pass runs in. {@code FLOAT32} is the manifest's {@code file};
 * {@code FLOAT16} ({@code fp16File}, GPU only) and {@code BFLOAT16} ({@code bf16File}, CPU with AVX-512 BF16 or AMX,
 * and GPUs from Ampere on) are separate TorchScript exports, because DJL cannot cast a loaded TorchScript module. Half
 * exports take and return float32 (the casts are part of their graph), so vectors are float32 in every precision.
 */
public enum EncoderPrecision {
    FLOAT32(""), FLOAT16("fp16"), BFLOAT16("bf16");

    private final String tag;

    EncoderPrecision(String tag) {
        this.tag = tag;
    }

    /** The name used in settings, logs and readiness data: float32, float16 or bfloat16. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The manifest field prefix and export script flag of this precision: fp16 or bf16 (empty for float32). */
    public String tag() {
        return tag;
    }

    /**
     * The version recorded in every embedding made in this precision: the manifest's for float32, else it with
     * {@code -fp16} or {@code -bf16} appended ({@code +} already joins the versions of encoders run side by side).
     */
    public String version(String manifestVersion) {
        return this == FLOAT32 ? manifestVersion : manifestVersion + "-" + tag;
    }

    /** Parses float32, float16 or bfloat16 (any case). */
    public static EncoderPrecision parse(String text) {
        for (EncoderPrecision precision : values()) {
            if (precision.label().equalsIgnoreCase(text.strip())) {
                return precision;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + text + "': use float32, float16 or bfloat16");
    }
}
