package dev.aidetect.router.streams;

import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.Stage;

/**
 * Bounds what a case keeps of its image. A case carries the submitted image until the stage that needs the pixels
 * is asked, and every case is written to the store's changelog topic on each change, whose records must stay under
 * the broker's message size (1 MiB by default). So an inline image above the cap is not kept: the case keeps a
 * marker with its size instead, still decides a REAL image, and ends REJECTED (TOO_LARGE) only if a stage needs the
 * pixels. Images submitted by uri keep their uri, which is small.
 */
final class CaseImages {
    /** Scheme of the marker uri left in place of an inline image that was too large to keep. */
    private static final String DROPPED = "aidetect-router-dropped:";

    private CaseImages() {
    }

    /** {@code image} as the case keeps it: itself, or a marker when its inline content exceeds {@code maxBytes}. */
    static ImageContent kept(ImageContent image, int maxBytes) {
        if (image == null || image.getContent() == null || image.getContent().remaining() <= maxBytes) {
            return image;
        }
        return new ImageContent(image.getContentType(), null, DROPPED + image.getContent().remaining());
    }

    /** Whether {@code image} is the marker of an inline image that was too large to keep. */
    static boolean dropped(ImageContent image) {
        return image != null && image.getContent() == null && image.getUri() != null
                && image.getUri().startsWith(DROPPED);
    }

    /** Why a case whose image was dropped cannot ask {@code stage}, and what to do about it. */
    static String droppedProblem(ImageContent image, Stage stage, int maxBytes) {
        return "the " + stage + " stage needs the pixels, but the inline image of "
                + image.getUri().substring(DROPPED.length()) + " bytes is larger than the " + maxBytes
                + " bytes a case keeps (aidetect.router.max-case-image-bytes); submit large images by uri, or raise"
                + " the cap while keeping it below the broker's max message size";
    }
}
