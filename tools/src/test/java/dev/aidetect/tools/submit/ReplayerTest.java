package dev.aidetect.tools.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.kafka.KafkaClientSettings;

/** What a replayed record is: a new, separable case whose id follows from the run and the original id. */
class ReplayerTest {
    private static final ImageLabel LABEL = new ImageLabel(Authenticity.FAKE, "gan", "upconv-gan", "set-1");

    @Test
    void theSameOriginalInTheSameRunAlwaysGetsTheSameId() {
        assertThat(Replayer.replayId("eval-7", "upconv-gan-0003-1f46d396"))
                .isEqualTo(Replayer.replayId("eval-7", "upconv-gan-0003-1f46d396"))
                .matches("eval-7-upconv-gan-0003-1f46d396-[0-9a-f]{12}");
    }

    @Test
    void anotherRunOrAnotherOriginalGetsAnotherId() {
        String id = Replayer.replayId("eval-7", "a");

        assertThat(Replayer.replayId("eval-8", "a")).isNotEqualTo(id);
        assertThat(Replayer.replayId("eval-7", "b")).isNotEqualTo(id);
        // Originals that differ only past the readable part still differ.
        String longStem = "x".repeat(60);
        assertThat(Replayer.replayId("r", longStem + "1")).isNotEqualTo(Replayer.replayId("r", longStem + "2"));
    }

    @Test
    void aFilesOriginalIdIsItsPathAndItsIdShowsTheFileName() {
        assertThat(Replayer.replayId("r1", "fake/gan/upconv-gan/upconv-gan-0000.png"))
                .matches("r1-upconv-gan-0000.png-[0-9a-f]{12}");
    }

    @Test
    void aReplayedRecordKeepsLabelContentAndAttributesAndRecordsTheRunAndWhereItCameFrom() {
        ImageSubmitted original = original();
        Instant now = Instant.parse("2026-05-01T10:00:00Z");

        ImageSubmitted replayed;
        try (Replayer replayer = new Replayer(KafkaClientSettings.plaintext("localhost:1"), "eval-7", false, 1 << 20)) {
            replayed = replayer.replayed(original, now);
        }

        assertThat(replayed.getImageId()).isEqualTo(Replayer.replayId("eval-7", "img-1"));
        assertThat(replayed.getSubmittedAt()).isEqualTo(now);
        assertThat(replayed.getSource()).isEqualTo("replay:eval-7");
        assertThat(replayed.getLabel()).isEqualTo(LABEL);
        assertThat(replayed.getImage()).isEqualTo(original.getImage());
        assertThat(replayed.getAttributes()).containsEntry("file", "a.jpg").containsEntry("run", "eval-7")
                .containsEntry("original-image-id", "img-1").containsEntry("original-source", "platform-x");
    }

    @Test
    void keepingTheSourceLeavesItAsItWas() {
        ImageSubmitted replayed;
        try (Replayer replayer = new Replayer(KafkaClientSettings.plaintext("localhost:1"), "eval-7", true, 1 << 20)) {
            replayed = replayer.replayed(original(), Instant.now());
        }

        assertThat(replayed.getSource()).isEqualTo("platform-x");
        assertThat(replayed.getAttributes()).doesNotContainKey("original-source").containsEntry("run", "eval-7");
    }

    @Test
    void aRunIdThatCannotBePartOfAnImageIdIsRefused() {
        assertThatThrownBy(() -> new Replayer(KafkaClientSettings.plaintext("localhost:1"), "my run", false, 1 << 20))
                .hasMessageContaining("'my run'").hasMessageContaining("letters, digits");
    }

    private static ImageSubmitted original() {
        return ImageSubmitted.newBuilder().setImageId("img-1").setSubmittedAt(Instant.parse("2026-01-01T00:00:00Z"))
                .setSource("platform-x").setLabel(LABEL)
                .setImage(ImageContent.newBuilder().setContent(ByteBuffer.wrap(new byte[]{1, 2, 3})).build())
                .setAttributes(Map.of("file", "a.jpg")).build();
    }
}
