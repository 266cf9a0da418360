package dev.aidetect.schemas;

import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * Builds {@link ImageRejected} records, and the {@link Rejection} a final verdict carries, the same way at every stage;
 * and says, in one place, which rejection reasons are worth retrying ({@link #retryable}).
 */
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
                .setRetryable(retryable(reason))
                .build();
    }

    /**
     * Whether an input refused for {@code reason} may succeed when submitted again later, unchanged: the one mapping,
     * written into every rejection ({@code ImageRejected.retryable}, {@code Rejection.retryable}) so that a platform
     * need not know it. Only {@link RejectReason#UNAVAILABLE} is: a transient failure (an image store answering 5xx or
     * 429, a timeout, a refused or reset connection, a model still loading) that outlasted the stage's bounded retries.
     * Every other reason refuses the input itself, or is a fault ({@link RejectReason#INTERNAL_ERROR}) that the same
     * input meets again until the service is fixed. {@link RejectReason#OTHER} (a reason newer than this reader) is
     * not: the record's own {@code retryable} field says what its writer knew.
     */
    public static boolean retryable(RejectReason reason) {
        return switch (reason) {
            case UNAVAILABLE -> true;
            case OTHER, BAD_RECORD, NOT_AN_IMAGE, UNSUPPORTED_FORMAT, TOO_LARGE, TOO_MANY_PIXELS, CORRUPT,
                    DECODE_TIMEOUT,
                    FETCH_FAILED, MISSING_CONTENT, BAD_VECTOR, ENCODER_MISMATCH, INTERNAL_ERROR ->
                false;
        };
    }

    /** Why a case ended rejected, for its final verdict, when the router itself refuses it. */
    public static Rejection rejection(Stage stage, RejectReason reason, String message) {
        return new Rejection(stage, reason, message, retryable(reason));
    }

    /**
     * Why a case ended rejected, for its final verdict, from the stage's rejection: its {@code retryable} as written, so
     * that a reason this reader knows only as {@link RejectReason#OTHER} keeps what its writer said.
     */
    public static Rejection carried(ImageRejected rejected) {
        return new Rejection(rejected.getStage(), rejected.getReason(), rejected.getMessage(), rejected.getRetryable());
    }
}
