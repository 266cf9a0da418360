package dev.aidetect.router.streams;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.EmbeddingTimings;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.schemas.ImageReceived;
import dev.aidetect.schemas.ImageRef;
import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.ModelRef;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageVerdict;

/** Pipeline records as the other services would send them, for router tests. */
public final class Records {
    /** Wall-clock time the test driver starts at. */
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    /** Submissions happen this long before {@link #START}, so an immediate final has this latency. */
    public static final long SUBMITTED_BEFORE_START_MILLIS = 250;
    public static final List<Float> VECTOR = List.of(0.25f, -0.5f, 1.0f);
    public static final ModelRef ENCODER = new ModelRef("tiny-clip", "1");
    /** Where the submitted image's pixels are: its images.ingest record, as the embedder's receipt says. */
    public static final ImageRef ORIGINAL = ImageRef.newBuilder().setTopic("images.ingest").setPartition(1)
            .setOffset(4711).setSizeBytes(2048).setContentType("image/png").build();

    private Records() {
    }

    /** A submission as the router sees it: the embedder's receipt on images.received, the pixels at {@link #ORIGINAL}. */
    public static ImageReceived submission(String imageId) {
        return ImageReceived.newBuilder()
                .setImageId(imageId)
                .setSubmittedAt(START.minusMillis(SUBMITTED_BEFORE_START_MILLIS))
                .setReceivedAt(START.minusMillis(SUBMITTED_BEFORE_START_MILLIS / 2))
                .setSource("router-test")
                .setOriginal(ORIGINAL)
                .setLabel(new ImageLabel(Authenticity.FAKE, "gan", "stylegan2", "unit"))
                .setAttributes(Map.of("uploader", "alice"))
                .build();
    }

    public static ImageEmbedding embedding(String imageId) {
        return ImageEmbedding.newBuilder()
                .setImageId(imageId)
                .setEncodedBy(ENCODER)
                .setVector(VECTOR)
                .setWidth(32)
                .setHeight(32)
                .setSubmittedAt(START.minusMillis(SUBMITTED_BEFORE_START_MILLIS))
                .setTimings(new EmbeddingTimings(1L, 2L, 3L, 4L, 1))
                .build();
    }

    public static StageVerdict verdict(String imageId, Stage stage, String decision, double score) {
        return StageVerdict.newBuilder()
                .setImageId(imageId)
                .setStage(stage)
                .setDecision(decision)
                .setScore(score)
                .setScores(Map.of(decision, score))
                .setThreshold(0.5)
                .setModel(new ModelRef(stage.name().toLowerCase() + "-head", "1"))
                .setDecidedAt(START)
                .build();
    }

    public static ImageRejected rejection(String imageId, Stage stage, RejectReason reason, String message) {
        return ImageRejected.newBuilder()
                .setImageId(imageId)
                .setStage(stage)
                .setReason(reason)
                .setMessage(message)
                .setSourceTopic("images.ingest")
                .setRejectedAt(START)
                .setLabel(new ImageLabel(Authenticity.REAL, null, null, "unit"))
                .build();
    }
}
