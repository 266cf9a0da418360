package dev.aidetect.tools.submit;

import java.util.Objects;

import dev.aidetect.fetch.UriRedaction;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.schemas.ImageSubmissions;
import dev.aidetect.tools.dataset.LabelledImage;

/**
 * One image to submit: a file, sent inline with the label its folders give, or a URI, which the pipeline fetches
 * itself ({@code ImageContent.uri}; the embedder's fetch settings decide which it may fetch).
 *
 * @param image the file and its label, or {@code null} for a URI
 * @param uri the address, or {@code null} for a file
 */
public record ImageSource(LabelledImage image, String uri) {
    public ImageSource {
        if ((image == null) == (uri == null)) {
            throw new IllegalArgumentException("an image source is either a file or a uri");
        }
    }

    public static ImageSource file(LabelledImage image) {
        return new ImageSource(Objects.requireNonNull(image), null);
    }

    /**
     * A URI submission.
     *
     * @throws IllegalArgumentException when {@code uri} is not an absolute URI with a scheme and a path
     */
    public static ImageSource uri(String uri) {
        return new ImageSource(null, ImageSubmissions.checkedUri(uri));
    }

    public boolean isUri() {
        return uri != null;
    }

    /** The ground truth a file's folders give; URIs carry none. */
    public ImageLabel label() {
        return image == null ? null : image.label();
    }

    /** The file name, or the last segment of the URI's path: what the image id starts with. */
    public String name() {
        if (image != null) {
            return image.file().getFileName().toString();
        }
        return ImageSubmissions.uriName(uri);
    }

    /**
     * How a message names it: the file's path, or the URI without its credentials and query string (a presigned
     * URL's signature must not reach a terminal log).
     */
    @Override
    public String toString() {
        return image != null ? image.file().toString() : UriRedaction.redact(uri);
    }
}
