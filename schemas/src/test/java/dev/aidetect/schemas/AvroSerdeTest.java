package dev.aidetect.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.aidetect.schemas.kafka.AvroSerde;
import dev.aidetect.schemas.kafka.AvroSerializer;
import dev.aidetect.schemas.kafka.Deserializers;
import dev.aidetect.schemas.kafka.RecordDecodingException;

class AvroSerdeTest {
    private static final Instant T0 = Instant.ofEpochMilli(1_700_000_000_000L);

    static Stream<SpecificRecord> everyRecord() {
        ImageLabel label = new ImageLabel(Authenticity.FAKE, "diffusion", "sd-1.4", "cifake");
        ModelRef encoder = new ModelRef("tiny-clip-vit", "1");
        StageVerdict verdict = StageVerdict.newBuilder().setImageId("a").setStage(Stage.DETECTION).setDecision("FAKE")
                .setScore(0.93).setScores(Map.of("REAL", 0.07, "FAKE", 0.93)).setThreshold(0.5)
                .setModel(new ModelRef("detection-logreg", "3f2a")).setDecidedAt(T0).build();
        ImageContent image = new ImageContent("image/png", ByteBuffer.wrap(new byte[]{(byte) 0x89, 'P', 'N', 'G'}),
                null);
        return Stream.of(
                ImageSubmitted.newBuilder().setImageId("a").setSubmittedAt(T0).setSource("test").setImage(image)
                        .setLabel(label).setAttributes(Map.of("user", "42")).build(),
                ImageEmbedding.newBuilder().setImageId("a").setEncodedBy(encoder).setVector(List.of(0.5f, -1.25f))
                        .setWidth(32).setHeight(32).setFormat("png").setSubmittedAt(T0).setEmbeddedAt(T0)
                        .setTimings(EmbeddingTimings.newBuilder().setBatchSize(4).setInferenceMicros(1200).build())
                        .setLabel(label).build(),
                StageRequest.newBuilder().setImageId("a").setStage(Stage.ATTRIBUTION).setFamily("diffusion")
                        .setVector(List.of(1f)).setEncodedBy(encoder).setImage(image).setSubmittedAt(T0)
                        .setRequestedAt(T0).build(),
                verdict,
                ImageRejected.newBuilder().setImageId("a").setStage(Stage.EMBEDDING)
                        .setReason(RejectReason.UNAVAILABLE).setMessage("the image store answered HTTP 503")
                        .setSourceTopic("images.ingest").setPayload(ByteBuffer.wrap(new byte[]{1, 2}))
                        .setRejectedAt(T0).setRetryable(true).build(),
                FinalVerdict.newBuilder().setImageId("b").setStatus(FinalStatus.REJECTED)
                        .setRejection(new Rejection(Stage.EMBEDDING, RejectReason.UNAVAILABLE, "HTTP 503", true))
                        .setFinalizedAt(T0).build(),
                FinalVerdict.newBuilder().setImageId("a").setStatus(FinalStatus.DECIDED)
                        .setAuthenticity(Authenticity.FAKE).setScore(0.93).setFamily("diffusion")
                        .setGenerator("sd-1.4").setPath(List.of(verdict)).setFinalizedAt(T0).setSubmittedAt(T0)
                        .setLatencyMillis(12).setLabel(label).build(),
                FinalVerdict.newBuilder().setImageId("b").setStatus(FinalStatus.DECIDED)
                        .setAuthenticity(Authenticity.UNCERTAIN).setScore(0.52).setPath(List.of(verdict))
                        .setFinalizedAt(T0).setSubmittedAt(T0).setLatencyMillis(7).build());
    }

    @ParameterizedTest
    @MethodSource("everyRecord")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void everyRecordRoundTripsThroughItsSerde(SpecificRecord record) {
        AvroSerde serde = new AvroSerde(record.getClass());

        byte[] bytes = new AvroSerializer().serialize("any.topic", record);

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(serde.decode("any.topic", bytes)).isEqualTo(record);
    }

    @Test
    void everyTopicCarriesTheRecordItsNameSays() {
        assertThat(Topics.all()).extracting(Topic::name).doesNotHaveDuplicates().contains("images.ingest",
                "verdicts.final", "stage.attribution.gan.requests");
        assertThat(((AvroSerde<?>) Topics.FINAL.valueSerde()).type()).isEqualTo(FinalVerdict.class);
        assertThat(Topics.attributionRequests("diffusion")).isSameAs(Topics.DIFFUSION_ATTRIBUTION_REQUESTS);
        assertThatThrownBy(() -> Topics.attributionRequests("vae")).hasMessageContaining("known families");
    }

    @Test
    void decodesARecordWrittenBeforeAttributesWereAdded() throws Exception {
        Schema v1 = historic("ImageSubmitted-v1.avsc");
        assertThat(v1.getField("attributes")).as("v1 predates the attributes field").isNull();
        GenericRecord old = new GenericData.Record(v1);
        old.put("imageId", "old-1");
        old.put("submittedAt", T0.toEpochMilli());
        old.put("source", "uploader-v1");
        GenericRecord image = new GenericData.Record(v1.getField("image").schema());
        image.put("content", ByteBuffer.wrap(new byte[]{9}));
        old.put("image", image);
        ByteBuffer written = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old);

        ImageSubmitted decoded = new Deserializers.ImageSubmittedDeserializer().deserialize("images.ingest",
                Arrays.copyOfRange(written.array(), written.arrayOffset(), written.limit()));

        assertThat(decoded.getImageId()).isEqualTo("old-1");
        assertThat(decoded.getSource()).isEqualTo("uploader-v1");
        assertThat(decoded.getSubmittedAt()).isEqualTo(T0);
        assertThat(decoded.getAttributes()).as("new field takes its default").isEmpty();
    }

    @Test
    void decodesAnEmbeddingWrittenBeforeDecodeScaleWasAdded() throws Exception {
        Schema v1 = historic("ImageEmbedding-v1.avsc");
        assertThat(v1.getField("decodeScale")).as("v1 predates the decodeScale field").isNull();
        ImageEmbedding current = ImageEmbedding.newBuilder().setImageId("old-2").setEncodedBy(new ModelRef("clip", "1"))
                .setVector(List.of(0.5f, -1f)).setWidth(4000).setHeight(3000).setSubmittedAt(T0).setEmbeddedAt(T0)
                .setTimings(new EmbeddingTimings(1L, 2L, 3L, 4L, 1)).build();
        ImageEmbedding decoded = new Deserializers.ImageEmbeddingDeserializer().deserialize("images.embedded",
                writtenAs(v1, current));

        assertThat(decoded.getImageId()).isEqualTo("old-2");
        assertThat(decoded.getWidth()).isEqualTo(4000);
        assertThat(decoded.getDecodeScale()).as("new field takes its default").isEqualTo(1);
    }

    @Test
    void decodesAnEmbeddingWrittenBeforeTheDecoderWasRecorded() throws Exception {
        Schema v2 = historic("ImageEmbedding-v2.avsc");
        assertThat(v2.getField("pixelDecoder")).as("v2 predates the decoder field").isNull();
        ImageEmbedding current = ImageEmbedding.newBuilder().setImageId("old-3").setEncodedBy(new ModelRef("clip", "1"))
                .setVector(List.of(0.5f, -1f)).setWidth(640).setHeight(480).setSubmittedAt(T0).setEmbeddedAt(T0)
                .setTimings(new EmbeddingTimings(1L, 2L, 3L, 4L, 1)).setDecodeScale(2).build();
        ImageEmbedding decoded = new Deserializers.ImageEmbeddingDeserializer().deserialize("images.embedded",
                writtenAs(v2, current));

        assertThat(decoded.getDecodeScale()).isEqualTo(2);
        assertThat(decoded.getPixelDecoder()).as("unknown for records written before the field").isEmpty();
    }

    @Test
    void decodesAnEmbeddingWrittenBeforeItNamedItsOriginalWithNone() throws Exception {
        Schema v4 = historic("ImageEmbedding-v4.avsc");
        assertThat(v4.getField("original")).as("v4 predates the original field").isNull();
        ImageEmbedding current = ImageEmbedding.newBuilder().setImageId("old-5").setEncodedBy(new ModelRef("clip", "1"))
                .setVector(List.of(0.5f, -1f)).setWidth(32).setHeight(32).setSubmittedAt(T0).setEmbeddedAt(T0)
                .setTimings(new EmbeddingTimings(1L, 2L, 3L, 4L, 1)).setPixelDecoder("libjpeg-turbo").build();
        ImageEmbedding decoded = new Deserializers.ImageEmbeddingDeserializer().deserialize("images.embedded",
                writtenAs(v4, current));

        assertThat(decoded.getPixelDecoder()).isEqualTo("libjpeg-turbo");
        assertThat(decoded.getOriginal()).as("a stage on pixels rejects it MISSING_CONTENT").isNull();
    }

    @Test
    void decodesARejectionWrittenBeforeRetryableWasAddedAsNotRetryable() throws Exception {
        Schema v1 = historic("ImageRejected-v1.avsc");
        assertThat(v1.getField("retryable")).as("v1 predates the retryable field").isNull();
        ImageRejected current = ImageRejected.newBuilder().setImageId("old-4").setStage(Stage.EMBEDDING)
                .setReason(RejectReason.FETCH_FAILED).setMessage("HTTP 404").setRejectedAt(T0).build();

        ImageRejected decoded = new Deserializers.ImageRejectedDeserializer().deserialize("images.rejected",
                writtenAs(v1, current));

        assertThat(decoded.getReason()).isEqualTo(RejectReason.FETCH_FAILED);
        assertThat(decoded.getRetryable()).as("records written before the field are not retryable").isFalse();
    }

    @Test
    void decodesAFinalVerdictWrittenBeforeUncertainWasAdded() throws Exception {
        Schema v1 = historic("FinalVerdict-v1.avsc");
        assertThat(v1.getField("authenticity").schema().getEnumSymbols()).as("v1 predates UNCERTAIN")
                .containsExactly("UNKNOWN", "REAL", "FAKE");
        GenericData generic = new GenericData();
        generic.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        GenericRecord old = new GenericData.Record(v1);
        old.put("imageId", "old-4");
        old.put("status", new GenericData.EnumSymbol(v1.getField("status").schema(), "DECIDED"));
        old.put("authenticity", new GenericData.EnumSymbol(v1.getField("authenticity").schema(), "FAKE"));
        old.put("path", List.of());
        old.put("submittedAt", T0);
        old.put("finalizedAt", T0);
        old.put("latencyMillis", 3L);
        old.put("source", "router-v1");
        old.put("attributes", Map.of());
        ByteBuffer written = new BinaryMessageEncoder<GenericRecord>(generic, v1).encode(old);

        FinalVerdict decoded = new Deserializers.FinalVerdictDeserializer().deserialize("verdicts.final",
                Arrays.copyOfRange(written.array(), written.arrayOffset(), written.limit()));

        assertThat(decoded.getImageId()).isEqualTo("old-4");
        assertThat(decoded.getAuthenticity()).isEqualTo(Authenticity.FAKE);
        assertThat(decoded.getFinalizedAt()).isEqualTo(T0);
    }

    /** {@code current} as a producer that still had the {@code historic} schema would have written it. */
    private static byte[] writtenAs(Schema historic, SpecificRecord current) throws IOException {
        GenericData generic = new GenericData();
        generic.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        GenericRecord old = (GenericRecord) generic.deepCopy(historic, current);
        ByteBuffer written = new BinaryMessageEncoder<GenericRecord>(generic, historic).encode(old);
        return Arrays.copyOfRange(written.array(), written.arrayOffset(), written.limit());
    }

    /** An earlier version of a record, as the schema history keeps it. */
    private static Schema historic(String file) throws IOException {
        try (InputStream in = AvroSerdeTest.class.getResourceAsStream("/dev/aidetect/schemas/history/" + file)) {
            return new Schema.Parser().parse(in);
        }
    }

    @Test
    void rejectsJsonWithAnErrorNamingTopicAndMarker() {
        byte[] json = "{\"imageId\": \"x\"}".getBytes();

        assertThatThrownBy(() -> new Deserializers.ImageSubmittedDeserializer().deserialize("images.ingest", json))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("topic 'images.ingest'")
                .hasMessageContaining("not a ImageSubmitted record")
                .hasMessageContaining("single-object marker C3 01")
                .hasMessageContaining("7B 22");
    }

    @Test
    void rejectsARecordOfAnotherTypeByItsUnknownFingerprint() {
        byte[] verdictBytes = new AvroSerializer().serialize("t", everyRecord().filter(StageVerdict.class::isInstance)
                .findFirst().orElseThrow());

        assertThatThrownBy(() -> new Deserializers.FinalVerdictDeserializer().deserialize("verdicts.final",
                verdictBytes))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("schema fingerprint")
                .hasMessageContaining("not a known version of FinalVerdict")
                .satisfies(e -> assertThat(((RecordDecodingException) e).topic()).isEqualTo("verdicts.final"));
    }

    @Test
    void rejectsATruncatedRecord() {
        byte[] full = new AvroSerializer().serialize("t", everyRecord().findFirst().orElseThrow());
        byte[] truncated = Arrays.copyOf(full, full.length - 6);

        assertThatThrownBy(() -> new Deserializers.ImageSubmittedDeserializer().deserialize("images.ingest",
                truncated))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageContaining("images.ingest", "truncated")
                .extracting(e -> ((RecordDecodingException) e).problem())
                .isEqualTo(RecordDecodingException.Problem.TRUNCATED);
    }

    @Test
    void rejectsAnEmptyPayloadAndKeepsNullAsTombstone() {
        var deserializer = new Deserializers.ImageSubmittedDeserializer();

        assertThat(deserializer.deserialize("images.ingest", null)).isNull();
        assertThatThrownBy(() -> deserializer.deserialize("images.ingest", new byte[0]))
                .hasMessageContaining("the payload is empty");
    }
}
