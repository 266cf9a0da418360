package dev.aidetect.imaging.decode;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import dev.aidetect.schemas.RejectReason;

/**
 * Decodes untrusted image bytes into RGB, within {@link DecodeLimits}, the way PIL's {@code Image.open(...)} followed
 * by {@code ImageOps.exif_transpose} and {@code convert("RGB")} does (JPEG EXIF orientation applied, embedded ICC
 * profiles ignored, alpha dropped). The format is sniffed from magic bytes; the
 * pixel count is read from the header before any pixel is decoded; a truncated or garbled file is refused rather than
 * returned half grey. JPEG goes through libjpeg-turbo ({@link TurboJpeg}, PIL's own decoder) when the system has it
 * (or exactly the {@link JpegDecoder} a caller asks for), everything else and what TurboJPEG declines through ImageIO;
 * each {@link DecodedImage} says which decoder made it. Thread-safe: every call uses its own reader.
 *
 * <p>
 * Rejections carry a {@link RejectReason}: NOT_AN_IMAGE, UNSUPPORTED_FORMAT (recognised but not decodable here, such
 * as HEIF/AVIF), TOO_LARGE, TOO_MANY_PIXELS, CORRUPT, DECODE_TIMEOUT.
 */
public final class ImageDecoder {

    private static final String DEFAULT_SETTINGS_PREFIX = "aidetect.embedder";

    private final DecodeLimits limits;
    private final String settingsPrefix;
    private final Optional<TurboJpeg> turboJpeg;
    private final int draftSide;

    /** A decoder whose messages name the embedder's settings (the stage that enforces the limits for the pipeline). */
    public ImageDecoder(DecodeLimits limits) {
        this(limits, DEFAULT_SETTINGS_PREFIX);
    }

    /** @param settingsPrefix the configuration prefix named in messages, so a user knows which setting to raise */
    public ImageDecoder(DecodeLimits limits, String settingsPrefix) {
        this(limits, settingsPrefix, TurboJpeg.system());
    }

    /**
     * A decoder that decodes JPEG with exactly the library asked for.
     *
     * @throws IllegalStateException when {@code jpeg} is libjpeg-turbo and this machine does not have it; the message
     *             says what to install or which setting ({@code <settingsPrefix>.jpeg-decoder}) chooses the fallback
     */
    public ImageDecoder(DecodeLimits limits, String settingsPrefix, JpegDecoder jpeg) {
        this(limits, settingsPrefix, switch (jpeg) {
            case IMAGEIO -> Optional.empty();
            case LIBJPEG_TURBO -> Optional.of(TurboJpeg.system().orElseThrow(
                    () -> new IllegalStateException(TurboJpegLibrary.missing(settingsPrefix + ".jpeg-decoder"))));
        });
    }

    /** @param turboJpeg decodes JPEG when present; ImageIO decodes what it declines, and everything when it is empty */
    ImageDecoder(DecodeLimits limits, String settingsPrefix, Optional<TurboJpeg> turboJpeg) {
        this(limits, settingsPrefix, turboJpeg, 0);
    }

    private ImageDecoder(DecodeLimits limits, String settingsPrefix, Optional<TurboJpeg> turboJpeg, int draftSide) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.settingsPrefix = Objects.requireNonNull(settingsPrefix, "settingsPrefix");
        this.turboJpeg = Objects.requireNonNull(turboJpeg, "turboJpeg");
        this.draftSide = draftSide;
    }

    /**
     * A decoder like this one that decodes a large JPEG in draft mode, as PIL's {@code Image.draft("RGB", (side,
     * side))}: libjpeg-turbo's scaled inverse DCT gives the image at 1/2, 1/4 or 1/8 size, the smallest that keeps both
     * sides at least {@code side} pixels. A 12 MP photo decodes several times faster and leaves far fewer pixels to
     * resize; the pixels are PIL's draft pixels, not its full decode's. Applies where libjpeg-turbo decodes (not to
     * CMYK JPEGs or without libturbojpeg); limits are checked on the full size. {@code side} 0 turns it off.
     */
    public ImageDecoder draft(int side) {
        if (side < 0) {
            throw new IllegalArgumentException("draft side must be 0 (off) or positive, not " + side);
        }
        return side == draftSide ? this : new ImageDecoder(limits, settingsPrefix, turboJpeg, side);
    }

    public DecodeLimits limits() {
        return limits;
    }

    /** The library JPEG goes to first (ImageIO still decodes what libjpeg-turbo declines, such as CMYK). */
    public JpegDecoder jpegDecoder() {
        return turboJpeg.isPresent() ? JpegDecoder.LIBJPEG_TURBO : JpegDecoder.IMAGEIO;
    }

    public DecodedImage decode(byte[] bytes) throws ImageRejectedException {
        if (bytes == null || bytes.length == 0) {
            throw new ImageRejectedException(RejectReason.NOT_AN_IMAGE,
                    "image content is empty: send the encoded image bytes");
        }
        if (bytes.length > limits.maxBytes()) {
            throw new ImageRejectedException(RejectReason.TOO_LARGE,
                    "image is %s, over the %s limit (%s.max-bytes): send a smaller or more compressed image"
                            .formatted(mebibytes(bytes.length), mebibytes(limits.maxBytes()), settingsPrefix));
        }
        ImageFormat format = ImageFormat.sniff(bytes)
                .orElseThrow(() -> new ImageRejectedException(RejectReason.NOT_AN_IMAGE,
                        "content is not a raster image (" + ImageFormat.describePrefix(bytes)
                                + "): send JPEG, PNG, WebP, GIF, BMP or TIFF bytes"));
        if (!format.decodable) {
            throw new ImageRejectedException(RejectReason.UNSUPPORTED_FORMAT,
                    format.id + " images are not supported yet: convert to JPEG or PNG before submitting");
        }
        try {
            if (format != ImageFormat.JPEG) {
                return new DecodedImage(readWithImageIO(bytes, format), format.id);
            }
            int orientation = ExifOrientation.of(bytes);
            Optional<TurboJpeg.Frame> fast = turboJpeg.isPresent()
                    ? turboJpeg.get().decode(bytes, this::checkPixelCount, limits.maxDecodeTime(), draftSide)
                    : Optional.empty();
            if (fast.isEmpty()) {
                return new DecodedImage(ExifOrientation.apply(readWithImageIO(bytes, format), orientation), format.id);
            }
            TurboJpeg.Frame frame = fast.get();
            boolean turned = ExifOrientation.transposes(orientation);
            return new DecodedImage(ExifOrientation.apply(frame.pixels(), orientation), format.id,
                    turned ? frame.fullHeight() : frame.fullWidth(), turned ? frame.fullWidth() : frame.fullHeight(),
                    frame.scale(), JpegDecoder.LIBJPEG_TURBO);
        } catch (DeadlineRead.TimeoutException e) {
            throw new ImageRejectedException(RejectReason.DECODE_TIMEOUT,
                    "%s image took %d ms to decode, over the %d ms limit (%s.decode-timeout): send a smaller or simpler image"
                            .formatted(format.id, e.elapsed().toMillis(), limits.maxDecodeTime().toMillis(),
                                    settingsPrefix),
                    e);
        } catch (IOException | RuntimeException e) {
            // Image readers signal malformed input with IIOException, EOFException and, for some headers, runtime exceptions.
            throw new ImageRejectedException(RejectReason.CORRUPT,
                    format.id + " image is corrupt or truncated (" + e + "): re-encode or re-upload the complete file",
                    e);
        }
    }

    private BufferedImage readWithImageIO(byte[] bytes, ImageFormat format)
            throws IOException, ImageRejectedException, DeadlineRead.TimeoutException {
        ImageReader reader = readerFor(format);
        try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(input, true, true);
            checkPixelCount(reader.getWidth(0), reader.getHeight(0));
            return RgbImages.toRgb(DeadlineRead.read(reader, limits.maxDecodeTime(), format));
        } finally {
            reader.dispose();
        }
    }

    private void checkPixelCount(int width, int height) throws ImageRejectedException {
        if (width <= 0 || height <= 0) {
            throw new ImageRejectedException(RejectReason.CORRUPT,
                    "image header declares " + width + "x" + height + " pixels: re-encode the image");
        }
        long pixels = (long) width * height;
        if (pixels > limits.maxPixels()) {
            throw new ImageRejectedException(RejectReason.TOO_MANY_PIXELS,
                    "image is %dx%d = %s, over the %s limit (%s.max-pixels): downscale it before submitting"
                            .formatted(width, height, megapixels(pixels), megapixels(limits.maxPixels()),
                                    settingsPrefix));
        }
    }

    static {
        // ImageIO discovers plugins (the WebP reader) through the context class loader of the first thread that
        // touches it, which in a Quarkus fast-jar or on a pool thread may not see the application jars.
        IIORegistry registry = IIORegistry.getDefaultInstance();
        ServiceLoader.load(ImageReaderSpi.class, ImageDecoder.class.getClassLoader())
                .forEach(spi -> registry.registerServiceProvider(spi, ImageReaderSpi.class));
    }

    private static ImageReader readerFor(ImageFormat format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.id);
        if (!readers.hasNext()) {
            throw new IllegalStateException("no ImageIO reader for " + format.id + " in this JDK");
        }
        return readers.next();
    }

    private static String megapixels(long pixels) {
        double mp = pixels / 1e6;
        return String.format(Locale.ROOT, mp >= 10 ? "%.0f MP" : "%.1f MP", mp);
    }

    private static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
