package dev.aidetect.embedding;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

import dev.aidetect.imaging.decode.DecodedImage;
import dev.aidetect.imaging.decode.ImageDecoder;
import dev.aidetect.imaging.decode.ImageRejectedException;
import dev.aidetect.imaging.decode.JpegDecoder;
import dev.aidetect.imaging.decode.TurboJpegLibrary;
import dev.aidetect.imaging.encoder.Preprocessor;
import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.RejectReason;

/**
 * Turns one submission into encoder input: takes its inline content (or fetches its uri), decodes it safely,
 * preprocesses it into the next free slot of a batch buffer. Thread-safe; called in parallel from the decode threads.
 */
public final class ImagePreparer {

    private final ImageDecoder decoder;
    private final boolean draftDecode;
    private final UriFetcher fetcher;
    private final EmbeddingListener listener;

    /**
     * @throws IllegalStateException when the JPEG decoder the settings name is not on this machine (the message says
     *             what to install, or which setting chooses the fallback)
     * @throws IllegalArgumentException when they name no JPEG decoder there is
     */
    public ImagePreparer(EngineSettings settings, UriFetcher fetcher, EmbeddingListener listener) {
        this.decoder = new ImageDecoder(settings.decodeLimits(), EngineSettings.PREFIX,
                jpegDecoder(settings.jpegDecoder()));
        this.draftDecode = settings.draftDecode();
        this.fetcher = fetcher;
        this.listener = listener;
    }

    /** The decoder the setting names; {@code auto} is libjpeg-turbo where this machine has it, else ImageIO. */
    static JpegDecoder jpegDecoder(String setting) {
        if ("auto".equalsIgnoreCase(setting.trim())) {
            return TurboJpegLibrary.available() ? JpegDecoder.LIBJPEG_TURBO : JpegDecoder.IMAGEIO;
        }
        return JpegDecoder.parse(setting);
    }

    /** Where {@link #prepare} gets the input array it writes an image into, once the image has decoded. */
    @FunctionalInterface
    public interface InputBuffers {
        /** An input array; may block until one is free. */
        float[] take() throws InterruptedException;
    }

    /**
     * @param slots hands out the buffer slots of this batch; a slot is taken only by an image that decoded
     * @throws ImageRejectedException when the submission has no usable image
     */
    public PreparedImage prepare(ImageSubmitted submission, Preprocessor preprocessor, float[] buffer,
            AtomicInteger slots)
            throws ImageRejectedException {
        try {
            return prepare(submission, preprocessor, () -> buffer, slots);
        } catch (InterruptedException e) {
            throw new AssertionError("a given buffer is taken without waiting", e);
        }
    }

    /**
     * Decodes first and only then takes an input array from {@code buffers}, so a pooled array is held only while
     * it holds pixels: decoding (the slow part) never waits for one, nor keeps one from an image that is ready.
     *
     * @param slots hands out the buffer slots of this batch; a slot is taken only by an image that decoded
     * @throws ImageRejectedException when the submission has no usable image (no array was taken)
     * @throws InterruptedException while waiting for an input array
     */
    public PreparedImage prepare(ImageSubmitted submission, Preprocessor preprocessor, InputBuffers buffers,
            AtomicInteger slots)
            throws ImageRejectedException, InterruptedException {
        byte[] bytes = content(submission.getImage());
        long start = System.nanoTime();
        DecodedImage image = decoder.draft(draftDecode ? preprocessor.draftSide() : 0).decode(bytes);
        long decoded = System.nanoTime();
        float[] buffer = buffers.take();
        long taken = System.nanoTime();
        int slot = slots.getAndIncrement();
        preprocessor.preprocess(image.rgb(), buffer, slot * preprocessor.floatsPerImage());
        long prepared = System.nanoTime();
        listener.recordDecode(decoded - start, prepared - taken);
        return new PreparedImage(submission, slot, image.width(), image.height(), image.format(), image.scale(),
                image.decoder(),
                (decoded - start) / 1000,
                (prepared - taken) / 1000, prepared);
    }

    private byte[] content(ImageContent image) throws ImageRejectedException {
        ByteBuffer content = image.getContent();
        if (content != null) {
            if (content.hasArray() && content.arrayOffset() == 0 && content.position() == 0
                    && content.remaining() == content.array().length) {
                return content.array(); // the decoders only read it: no copy of a phone photo per image
            }
            byte[] bytes = new byte[content.remaining()];
            content.duplicate().get(bytes);
            return bytes;
        }
        if (image.getUri() != null) {
            return fetcher.fetch(image.getUri());
        }
        throw new ImageRejectedException(RejectReason.MISSING_CONTENT,
                "the submission has neither image.content nor image.uri: send the image bytes in image.content");
    }
}
