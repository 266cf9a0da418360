package dev.aidetect.embedder.domain;

import java.nio.ByteBuffer;
import java.time.Instant;

import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageReceived;
import dev.aidetect.schemas.ImageRef;
import dev.aidetect.schemas.ImageSubmitted;

/**
 * One raw record of {@code images.ingest}: where it came from and its undecoded value. Uploaders write that topic with
 * any client, partitioner and key (or none), so the image id in the value is the image's identity and the key is at
 * most a hint that must agree with it.
 */
public record IngestRecord(String key, String topic, int partition, long offset, byte[] value) {

    /**
     * Why this record's key cannot go with the image id in its value, and what to do; {@code null} when it can: the
     * record has no key (null or blank, as some clients send), or its key is that id.
     */
    public String keyProblem(String imageId) {
        if (!keyed() || key.equals(imageId)) {
            return null;
        }
        return "the record's key '" + key + "' disagrees with the imageId '" + imageId + "' in its value (at " + topic
                + "-" + partition + "@" + offset + "): key " + topic
                + " records by their image id, or send no key (the id in the value identifies the image)";
    }

    /**
     * The submission as the router is to see it, without its pixels: what the uploader sent, and where the pixels are
     * (the submission's uri, or this record, which holds the inline bytes: Kafka is the claim-check store).
     */
    public ImageReceived receipt(ImageSubmitted submitted, Instant receivedAt) {
        return ImageReceived.newBuilder()
                .setImageId(submitted.getImageId())
                .setSubmittedAt(submitted.getSubmittedAt())
                .setReceivedAt(receivedAt)
                .setSource(submitted.getSource())
                .setAttributes(submitted.getAttributes())
                .setLabel(submitted.getLabel())
                .setOriginal(original(submitted.getImage()))
                .build();
    }

    /**
     * The reference to {@code image}'s pixels. Inline content wins over a uri, as in the embedding engine; a
     * submission with neither (refused as MISSING_CONTENT) points at this record with 0 bytes.
     */
    private ImageRef original(ImageContent image) {
        ImageRef.Builder ref = ImageRef.newBuilder().setContentType(image.getContentType());
        ByteBuffer content = image.getContent();
        if (content == null && image.getUri() != null) {
            return ref.setUri(image.getUri()).build();
        }
        return ref.setTopic(topic).setPartition(partition).setOffset(offset)
                .setSizeBytes(content == null ? 0 : content.remaining()).build();
    }

    /** Whether the record has a key (not null, not blank): the image id its producer meant. */
    public boolean keyed() {
        return key != null && !key.isBlank();
    }
}
