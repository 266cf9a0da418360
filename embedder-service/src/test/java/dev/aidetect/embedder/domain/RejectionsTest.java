package dev.aidetect.embedder.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Stage;

class RejectionsTest {

    @Test
    void keepsTheOriginalPayloadForReplay() {
        byte[] payload = {1, 2, 3};

        ImageRejected rejection = Rejections.of("img", RejectReason.CORRUPT, "broken", payload, null);

        assertThat(rejection.getPayload().array()).isEqualTo(payload);
        assertThat(rejection.getStage()).isEqualTo(Stage.EMBEDDING);
        assertThat(rejection.getSourceTopic()).isEqualTo("images.ingest");
        assertThat(rejection.getMessage()).isEqualTo("broken");
    }

    @Test
    void leavesOutPayloadsTooBigForOneKafkaMessageAndSaysSo() {
        byte[] payload = new byte[Rejections.KEPT_PAYLOAD_LIMIT + 1];

        ImageRejected rejection = Rejections.of("img", RejectReason.TOO_LARGE, "too big", payload, null);

        assertThat(rejection.getPayload()).isNull();
        assertThat(rejection.getMessage()).startsWith("too big").contains("replay it from images.ingest");
    }

    @Test
    void namesAnUnkeyedRecordByItsPosition() {
        assertThat(new IngestRecord(null, "images.ingest", 2, 17, new byte[0]).fallbackId())
                .isEqualTo("unkeyed:images.ingest-2@17");
        assertThat(new IngestRecord(" ", "images.ingest", 0, 3, new byte[0]).fallbackId())
                .isEqualTo("unkeyed:images.ingest-0@3");
        assertThat(new IngestRecord("key-1", "images.ingest", 0, 3, new byte[0]).fallbackId()).isEqualTo("key-1");
    }
}
