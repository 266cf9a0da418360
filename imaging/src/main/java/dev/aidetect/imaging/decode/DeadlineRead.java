package dev.aidetect.imaging.decode;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;

import javax.imageio.IIOException;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.event.IIOReadProgressListener;
import javax.imageio.event.IIOReadWarningListener;

/**
 * Reads image 0 of a reader with a wall-clock deadline, and treats a truncated JPEG as an error.
 *
 * <p>
 * The deadline is enforced from the reading thread: JDK readers report progress every few rows and the listener
 * aborts the read once the deadline has passed. (Aborting from another thread is not an option: the JPEG reader
 * throws when another thread touches it.) A read that overruns without reporting progress is still classified as a
 * timeout when it returns.
 */
final class DeadlineRead implements IIOReadProgressListener, IIOReadWarningListener {

    /** The read ran past its deadline. */
    static final class TimeoutException extends Exception {
        private final Duration elapsed;

        TimeoutException(Duration elapsed) {
            super("decode ran for " + elapsed.toMillis() + " ms");
            this.elapsed = elapsed;
        }

        Duration elapsed() {
            return elapsed;
        }
    }

    private final long startNanos = System.nanoTime();
    private final long deadlineNanos;
    private String truncation;

    private DeadlineRead(Duration limit) {
        this.deadlineNanos = startNanos + limit.toNanos();
    }

    static BufferedImage read(ImageReader reader, Duration limit, ImageFormat format)
            throws IOException, TimeoutException {
        DeadlineRead watch = new DeadlineRead(limit);
        reader.addIIOReadProgressListener(watch);
        reader.addIIOReadWarningListener(watch);
        BufferedImage image;
        try {
            image = reader.read(0, embeddedColourSpace(reader));
        } catch (IOException | RuntimeException e) {
            watch.throwIfOverdue();
            throw e;
        }
        watch.throwIfOverdue();
        if (watch.truncation != null) {
            // The JPEG reader fills missing rows with grey and only warns; PIL refuses such files, so do we.
            throw new IIOException(format.id + " data ends early: " + watch.truncation);
        }
        return image;
    }

    /**
     * Asks for the pixels in the file's own RGB colour space where the reader offers it: the JDK JPEG reader otherwise
     * converts an embedded ICC profile (such as Adobe RGB) to sRGB, which PIL and torchvision never do.
     */
    private static ImageReadParam embeddedColourSpace(ImageReader reader) throws IOException {
        ImageReadParam param = reader.getDefaultReadParam();
        for (Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0); types.hasNext();) {
            ImageTypeSpecifier type = types.next();
            ColorSpace space = type.getColorModel().getColorSpace();
            if (space.getType() == ColorSpace.TYPE_RGB && !space.isCS_sRGB()) {
                param.setDestinationType(type);
                break;
            }
        }
        return param;
    }

    private void throwIfOverdue() throws TimeoutException {
        long now = System.nanoTime();
        if (now - deadlineNanos > 0) {
            throw new TimeoutException(Duration.ofNanos(now - startNanos));
        }
    }

    @Override
    public void imageProgress(ImageReader source, float percentageDone) {
        if (System.nanoTime() - deadlineNanos > 0) {
            source.abort();
        }
    }

    @Override
    public void warningOccurred(ImageReader source, String warning) {
        if (warning.toLowerCase(Locale.ROOT).contains("premature end")) {
            truncation = warning;
        }
    }

    @Override
    public void sequenceStarted(ImageReader source, int minIndex) {
    }

    @Override
    public void sequenceComplete(ImageReader source) {
    }

    @Override
    public void imageStarted(ImageReader source, int imageIndex) {
    }

    @Override
    public void imageComplete(ImageReader source) {
    }

    @Override
    public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) {
    }

    @Override
    public void thumbnailProgress(ImageReader source, float percentageDone) {
    }

    @Override
    public void thumbnailComplete(ImageReader source) {
    }

    @Override
    public void readAborted(ImageReader source) {
    }
}
