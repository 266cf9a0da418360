package dev.aidetect.embedder.domain;

import java.nio.ByteBuffer;
import java.time.Instant;

import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.Topics;

/** Builds the embedder's {@link ImageRejected} records. */
public final class Rejections {

    /**
     * Original payloads up to this size are kept for replay. Bigger ones are left out so the rejection itself stays
     * under Kafka's default 1 MB message limit; they remain on {@code images.ingest}.
     */
    public static final int KEPT_PAYLOAD_LIMIT = 512 * 1024;

    private Rejections() {
    }

    public static ImageRejected of(String imageId, RejectReason reason, String message, byte[] payload,
            ImageLabel label) {
        boolean keep = payload != null && payload.length <= KEPT_PAYLOAD_LIMIT;
        String note = payload == null || keep
                ? ""
                : " (original payload of " + payload.length + " bytes not kept here: replay it from "
                        + Topics.INGEST.name() + ")";
        return ImageRejected.newBuilder()
                .setImageId(imageId)
                .setStage(Stage.EMBEDDING)
                .setReason(reason)
                .setMessage(message + note)
                .setSourceTopic(Topics.INGEST.name())
                .setPayload(keep ? ByteBuffer.wrap(payload) : null)
                .setRejectedAt(Instant.now())
                .setLabel(label)
                .build();
    }
}
