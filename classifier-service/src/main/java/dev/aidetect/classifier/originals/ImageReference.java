package dev.aidetect.classifier.originals;

import java.util.Locale;

import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageRef;
import dev.aidetect.schemas.StageRequest;

/**
 * What a record says about where its image is, whatever the record: a stage request (family on pixels, attribution) or
 * an embedding (detection on pixels).
 *
 * @param imageId the image
 * @param what the record, as messages name it, e.g. {@code attribution request for image x}
 * @param inline the image itself, in requests written before {@code original} existed; {@code null} otherwise
 * @param original the submission's uri or images.ingest record; {@code null} when the record names none
 */
public record ImageReference(String imageId, String what, ImageContent inline, ImageRef original) {

    public static ImageReference of(StageRequest request) {
        String stage = request.getStage() == null ? "stage" : request.getStage().name().toLowerCase(Locale.ROOT);
        return new ImageReference(request.getImageId(), stage + " request for image " + request.getImageId(),
                request.getImage(), request.getOriginal());
    }

    public static ImageReference of(ImageEmbedding embedding) {
        return new ImageReference(embedding.getImageId(), "the embedding of image " + embedding.getImageId(), null,
                embedding.getOriginal());
    }
}
