package dev.aidetect.embedder.inference;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;

import dev.aidetect.embedder.config.EmbedderConfig;
import dev.aidetect.embedder.domain.PreparedImage;
import dev.aidetect.embedder.metrics.EmbedderMetrics;
import dev.aidetect.imaging.DecodedImage;
import dev.aidetect.imaging.ImageDecoder;
import dev.aidetect.imaging.ImageRejectedException;
import dev.aidetect.imaging.JpegDecoder;
import dev.aidetect.imaging.Preprocessor;
import dev.aidetect.imaging.TurboJpegLibrary;
import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.RejectReason;

/**
 * Turns one submission into encoder input: takes its inline content (or fetches its uri), decodes it safely,
 * preprocesses it into the next free slot of a batch buffer. Thread-safe; called in parallel from the decode executor.
 * Created at start-up, so a JPEG decoder the machine lacks ({@code aidetect.embedder.jpeg-decoder}) stops the start.
 */
@Startup
@ApplicationScoped
public class ImagePreparer {

    private static final String SETTINGS = "aidetect.embedder";

    private final ImageDecoder decoder;
    private final boolean draftDecode;
    private final ImageFetcher fetcher;
    private final EmbedderMetrics metrics;

    public ImagePreparer(EmbedderConfig config, ImageFetcher fetcher, EmbedderMetrics metrics) {
        this.decoder = new ImageDecoder(config.decodeLimits(), SETTINGS, jpegDecoder(config.jpegDecoder()));
        this.draftDecode = config.draftDecode();
        this.fetcher = fetcher;
        this.metrics = metrics;
    }

    /** The decoder the setting names; {@code auto} is libjpeg-turbo where this machine has it, else ImageIO. */
    static JpegDecoder jpegDecoder(String setting) {
        if ("auto".equalsIgnoreCase(setting.trim())) {
            return TurboJpegLibrary.available() ? JpegDecoder.LIBJPEG_TURBO : JpegDecoder.IMAGEIO;
        }
        return JpegDecoder.parse(setting);
    }

    /**
     * @param slots hands out the buffer slots of this batch; a slot is taken only by an image that decoded
     * @throws ImageRejectedException when the submission has no usable image
     */
    public PreparedImage prepare(ImageSubmitted submission, Preprocessor preprocessor, float[] buffer,
            AtomicInteger slots)
            throws ImageRejectedException {
        byte[] bytes = content(submission.getImage());
        long start = System.nanoTime();
        DecodedImage image = decoder.draft(draftDecode ? preprocessor.draftSide() : 0).decode(bytes);
        long decoded = System.nanoTime();
        int slot = slots.getAndIncrement();
        preprocessor.preprocess(image.rgb(), buffer, slot * preprocessor.floatsPerImage());
        long prepared = System.nanoTime();
        metrics.recordDecode(decoded - start, prepared - decoded);
        return new PreparedImage(submission, slot, image.width(), image.height(), image.format(), image.scale(),
                image.decoder(),
                (decoded - start) / 1000,
                (prepared - decoded) / 1000, prepared);
    }

    private byte[] content(ImageContent image) throws ImageRejectedException {
        ByteBuffer content = image.getContent();
        if (content != null) {
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
