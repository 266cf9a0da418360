package dev.aidetect.imaging.decode;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on what {@link ImageDecoder} accepts: encoded size, decoded pixel count (read from the header before any
 * pixel is decoded, against decompression bombs) and decode wall time.
 */
public record DecodeLimits(long maxBytes, long maxPixels, Duration maxDecodeTime) {

    public static final long DEFAULT_MAX_BYTES = 20L * 1024 * 1024;
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
    public static final Duration DEFAULT_MAX_DECODE_TIME = Duration.ofSeconds(5);

    public DecodeLimits {
        Objects.requireNonNull(maxDecodeTime, "maxDecodeTime");
        if (maxBytes <= 0 || maxPixels <= 0 || maxDecodeTime.isNegative() || maxDecodeTime.isZero()) {
            throw new IllegalArgumentException("decode limits must be positive, got maxBytes=" + maxBytes
                    + ", maxPixels=" + maxPixels + ", maxDecodeTime=" + maxDecodeTime);
        }
    }

    /** 20 MiB, 40 megapixels, 5 seconds. */
    public static DecodeLimits defaults() {
        return new DecodeLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, DEFAULT_MAX_DECODE_TIME);
    }
}
