package dev.aidetect.embedding;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;

import javax.imageio.ImageIO;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.Topics;

/** Submissions and images for the embedder's tests. */
public final class TestSubmissions {

    public static final ImageLabel FAKE_LABEL = ImageLabel.newBuilder().setAuthenticity(Authenticity.FAKE)
            .setFamily("gan")
            .setGenerator("stylegan2").setDataset("test").build();

    private TestSubmissions() {
    }

    public static ImageSubmitted inline(String imageId, byte[] content) {
        return submission(imageId, ImageContent.newBuilder().setContent(ByteBuffer.wrap(content)).build());
    }

    public static ImageSubmitted submission(String imageId, ImageContent content) {
        return ImageSubmitted.newBuilder().setImageId(imageId).setSubmittedAt(Instant.now()).setSource("test")
                .setImage(content).build();
    }

    /** The record's bytes as a producer using the project's serde writes them. */
    public static byte[] encode(ImageSubmitted submission) {
        return Topics.INGEST.valueSerde().serializer().serialize(Topics.INGEST.name(), submission);
    }

    /** A JPEG of a colour gradient. */
    public static byte[] jpeg(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | 128);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpeg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] html() {
        return "<!DOCTYPE html><html><body>not an image</body></html>"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
