package dev.aidetect.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RejectionsTest {
    @Test
    void keepsTheOriginalPayloadForReplay() {
        byte[] payload = {1, 2, 3};

        ImageRejected rejection = Rejections.of(Stage.EMBEDDING, "images.ingest", "img", RejectReason.CORRUPT,
                "broken", payload, null);

        assertThat(rejection.getPayload().array()).isEqualTo(payload);
        assertThat(rejection.getStage()).isEqualTo(Stage.EMBEDDING);
        assertThat(rejection.getSourceTopic()).isEqualTo("images.ingest");
        assertThat(rejection.getMessage()).isEqualTo("broken");
    }

    @Test
    void leavesOutPayloadsTooBigForOneKafkaMessageAndSaysWhereTheyAre() {
        byte[] payload = new byte[Rejections.KEPT_PAYLOAD_LIMIT + 1];

        ImageRejected rejection = Rejections.of(Stage.ATTRIBUTION, "stage.attribution.gan.requests", "img",
                RejectReason.TOO_LARGE, "too big", payload, null);

        assertThat(rejection.getPayload()).isNull();
        assertThat(rejection.getMessage()).startsWith("too big")
                .contains("replay it from stage.attribution.gan.requests");
    }

    @Test
    void onlyATransientFailureThatOutlastedItsRetriesIsRetryable() {
        for (RejectReason reason : RejectReason.values()) {
            assertThat(Rejections.retryable(reason)).as(reason.name()).isEqualTo(reason == RejectReason.UNAVAILABLE);
        }
    }

    @Test
    void everyRejectionSaysWhetherItIsRetryableByItsReason() {
        ImageRejected unavailable = Rejections.of(Stage.EMBEDDING, "images.ingest", "img", RejectReason.UNAVAILABLE,
                "the image store answered HTTP 503 on each of 4 attempts", null, null);
        ImageRejected missing = Rejections.of(Stage.EMBEDDING, "images.ingest", "img", RejectReason.FETCH_FAILED,
                "the image store answered HTTP 404", null, null);

        assertThat(unavailable.getRetryable()).isTrue();
        assertThat(missing.getRetryable()).isFalse();
        assertThat(Rejections.rejection(Stage.ROUTING, RejectReason.BAD_RECORD, "unroutable").getRetryable()).isFalse();
    }

    @Test
    void theFinalVerdictsRejectionKeepsWhatTheStageWroteEvenForAReasonThisReaderDoesNotKnow() {
        // given: a newer stage's reason, which this reader decodes as OTHER, written as retryable
        ImageRejected newer = Rejections.of(Stage.ATTRIBUTION, "stage.attribution.gan.requests", "img",
                RejectReason.OTHER, "a reason added later", null, null);
        newer.setRetryable(true);

        // when
        Rejection carried = Rejections.carried(newer);

        // then
        assertThat(carried.getReason()).isEqualTo(RejectReason.OTHER);
        assertThat(carried.getRetryable()).isTrue();
        assertThat(carried.getStage()).isEqualTo(Stage.ATTRIBUTION);
        assertThat(carried.getMessage()).isEqualTo("a reason added later");
    }
}
