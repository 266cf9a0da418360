package dev.aidetect.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import dev.aidetect.schemas.StageVerdict;
import dev.aidetect.schemas.Topics;

class DeadLetterTest {
    @Test
    void keepsTheRecordAsItWasAndAddsWhereItCameFromAndWhy() {
        RecordHeaders original = new RecordHeaders();
        original.add(new RecordHeader("trace-id", bytes("t-1")));
        original.add(new RecordHeader(DeadLetter.REASON, bytes("from an earlier dead letter")));

        ProducerRecord<byte[], byte[]> record = new DeadLetter("classifier", "verdicts.family", 2, 41, bytes("img-1"),
                bytes("junk"), original, "NOT_AVRO", "not\nAvro  at all").toRecord("deadletters.classifier");

        assertThat(record.topic()).isEqualTo("deadletters.classifier");
        assertThat(record.key()).isEqualTo(bytes("img-1"));
        assertThat(record.value()).isEqualTo(bytes("junk"));
        assertThat(DeadLetter.originTopic(record.headers())).contains("verdicts.family");
        assertThat(DeadLetter.text(record.headers(), DeadLetter.PARTITION)).contains("2");
        assertThat(DeadLetter.text(record.headers(), DeadLetter.OFFSET)).contains("41");
        assertThat(DeadLetter.text(record.headers(), DeadLetter.REASON)).contains("NOT_AVRO");
        assertThat(DeadLetter.text(record.headers(), DeadLetter.MESSAGE)).contains("not Avro at all");
        assertThat(DeadLetter.text(record.headers(), DeadLetter.SERVICE)).contains("classifier");
        assertThat(DeadLetter.originalHeaders(record.headers())).extracting(h -> h.key()).containsExactly("trace-id");
    }

    @Test
    void namesTheReasonOfEachKindOfUndecodablePayload() {
        AvroSerde<StageVerdict> verdicts = new AvroSerde<>(StageVerdict.class);
        byte[] good = verdicts
                .encode(StageVerdict.newBuilder().setImageId("i").setStage(dev.aidetect.schemas.Stage.DETECTION)
                        .setDecision("REAL").setScore(0.1).setThreshold(0.5)
                        .setModel(new dev.aidetect.schemas.ModelRef("m", "1")).setDecidedAt(java.time.Instant.EPOCH)
                        .build());

        assertThat(reasonOf(verdicts, bytes("{\"json\": true}"))).isEqualTo("NOT_AVRO");
        assertThat(reasonOf(verdicts, new byte[]{(byte) 0xC3, 0x01, 9, 9, 9, 9, 9, 9, 9, 9, 0})).isEqualTo(
                "UNKNOWN_SCHEMA");
        assertThat(reasonOf(verdicts, Topics.REJECTED.valueSerde().serializer().serialize("t",
                dev.aidetect.schemas.Rejections.of(dev.aidetect.schemas.Stage.EMBEDDING, "t", "i",
                        dev.aidetect.schemas.RejectReason.CORRUPT, "m", new byte[0], null))))
                .as("another record type").isEqualTo("UNKNOWN_SCHEMA");
        assertThat(reasonOf(verdicts, java.util.Arrays.copyOf(good, 12))).isEqualTo("TRUNCATED");
        assertThat(DeadLetter.reasonOf(new IllegalStateException("other"))).isEqualTo("UNREADABLE");
    }

    private static String reasonOf(AvroSerde<?> serde, byte[] payload) {
        try {
            serde.decode("t", payload);
            throw new AssertionError("decoded");
        } catch (RecordDecodingException e) {
            return DeadLetter.reasonOf(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
