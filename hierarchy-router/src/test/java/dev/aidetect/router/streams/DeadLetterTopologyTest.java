package dev.aidetect.router.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.Topic;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.AvroSerde;
import dev.aidetect.schemas.kafka.DeadLetter;

/**
 * Records the router cannot read, on each of its case inputs, become dead letters with their origin and a specific
 * reason, and the router goes on deciding: nothing is skipped silently, nothing stops the stream thread.
 */
class DeadLetterTopologyTest {
    private final RouterDriver router = new RouterDriver();

    @AfterEach
    void closeDriver() {
        router.close();
    }

    static List<Topic<String, ?>> inputs() {
        return List.of(Topics.RECEIVED, Topics.EMBEDDED, Topics.REJECTED, Topics.DETECTION_VERDICTS,
                Topics.FAMILY_VERDICTS, Topics.ATTRIBUTION_VERDICTS);
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void everyUnreadableRecordBecomesADeadLetterWithItsOriginAndReason(Topic<String, ?> input) {
        // given a record of each bad kind on this input
        byte[] notAvro = "GARBAGE!".getBytes(StandardCharsets.UTF_8);
        byte[] unknownFingerprint = {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0};
        byte[] wrongRecord = input == Topics.REJECTED
                ? new AvroSerde<>(ImageEmbedding.class).encode(Records.embedding("img-3"))
                : new AvroSerde<>(ImageRejected.class)
                        .encode(Records.rejection("img-3", Stage.EMBEDDING, RejectReason.CORRUPT, "x"));

        router.sendRaw(input.name(), "img-1", notAvro)
                .sendRaw(input.name(), "img-2", unknownFingerprint)
                .sendRaw(input.name(), "img-3", wrongRecord)
                .sendRaw(input.name(), "img-4", null)
                .sendRaw(input.name(), null, notAvro);

        // then five dead letters, in order, each with its own reason, and no final verdict for any of them
        assertThat(router.deadLetters).extracting(DeadLetter::topic).containsOnly(input.name());
        assertThat(router.deadLetters).extracting(DeadLetter::offset).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(router.deadLetters).extracting(DeadLetter::reason).containsExactly("NOT_AVRO", "UNKNOWN_SCHEMA",
                "UNKNOWN_SCHEMA", "TOMBSTONE", "NO_KEY");
        assertThat(router.deadLetters.getFirst().value()).isEqualTo(notAvro);
        assertThat(new String(router.deadLetters.getFirst().key(), StandardCharsets.UTF_8)).isEqualTo("img-1");
        assertThat(router.deadLetters).allSatisfy(letter -> {
            assertThat(letter.service()).isEqualTo("router");
            assertThat(letter.message()).isNotBlank().doesNotContain("\n");
        });
        assertThat(router.finals()).isEmpty();

        // and the router still decides the next image
        router.submit("img-ok").embed("img-ok").detect("img-ok", "REAL");
        assertThat(router.finals()).extracting(FinalVerdict::getImageId).containsExactly("img-ok");
    }
}
