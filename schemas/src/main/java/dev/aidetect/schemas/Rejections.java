package dev.aidetect.schemas;

import java.nio.ByteBuffer;
import java.time.Instant;

/** Builds {@link ImageRejected} records the same way at every stage. */
public final class Rejections {
    /**
     * Original payloads up to this size are kept in the rejection for replay. Bigger ones are left out so the rejection
     * itself stays under Kafka's default 1 MB message limit; they remain on their source topic.
     */
    public static final int KEPT_PAYLOAD_LIMIT = 512 * 1024;

    private Rejections() {
    }

    /**
     * @param stage the stage that refuses the input
     * @param sourceTopic the topic the refused record came from
     * @param message what was wrong and what to do, for a person
     * @param payload the refused record's bytes, or {@code null}
     * @param label the record's ground truth when it could be read, passed on for evaluation
     */
    public static ImageRejected of(Stage stage, String sourceTopic, String imageId, RejectReason reason,
            String message, byte[] payload, ImageLabel label) {
        boolean keep = payload != null && payload.length <= KEPT_PAYLOAD_LIMIT;
        String note = payload == null || keep
                ? ""
                : " (original record of " + payload.length + " bytes not kept here: replay it from " + sourceTopic
                        + ")";
        return ImageRejected.newBuilder()
                .setImageId(imageId)
                .setStage(stage)
                .setReason(reason)
                .setMessage(message + note)
                .setSourceTopic(sourceTopic)
                .setPayload(keep ? ByteBuffer.wrap(payload) : null)
                .setRejectedAt(Instant.now())
                .setLabel(label)
                .build();
    }
}
