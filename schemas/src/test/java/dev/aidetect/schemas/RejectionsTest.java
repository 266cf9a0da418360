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
}
