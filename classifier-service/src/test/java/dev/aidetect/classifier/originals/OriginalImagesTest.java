package dev.aidetect.classifier.originals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.aidetect.classifier.domain.IncomingRecord;
import dev.aidetect.classifier.inference.RejectedInputException;
import dev.aidetect.imaging.decode.ImageRejectedException;
import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageRef;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageRequest;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.AvroSerde;

/** The order in which a pixel stage looks for a request's image, and what it says when it finds none. */
class OriginalImagesTest {
    private static final String CHANNEL = Topics.GAN_ATTRIBUTION_REQUESTS.name();
    private static final String INGEST = Topics.INGEST.name();
    private static final String FIX = "the router must set original";

    /** What the fake broker holds, by claim check. */
    private final Map<ClaimCheck, ClaimCheckReader.Read> ingest = new HashMap<>();
    /** Every read the stage asked for: one collection of claim checks per read. */
    private final List<List<ClaimCheck>> reads = new ArrayList<>();
    /** Every uri fetched. */
    private final List<String> fetched = new ArrayList<>();
    private final Map<String, byte[]> web = new HashMap<>();

    private OriginalImages originals(long readAheadBytes) {
        return new OriginalImages(uri -> {
            fetched.add(uri);
            byte[] bytes = web.get(uri);
            if (bytes == null) {
                throw new ImageRejectedException(RejectReason.FETCH_FAILED, "image uri " + uri + " answered HTTP 404");
            }
            return bytes;
        }, channel -> {
            assertThat(channel).isEqualTo(CHANNEL);
            return this::read;
        }, 1000, readAheadBytes);
    }

    private Map<ClaimCheck, ClaimCheckReader.Read> read(Collection<ClaimCheck> checks) {
        reads.add(List.copyOf(checks));
        Map<ClaimCheck, ClaimCheckReader.Read> found = new HashMap<>();
        checks.forEach(check -> found.put(check, ingest.getOrDefault(check, new ClaimCheckReader.Read.Unavailable(
                RejectReason.MISSING_CONTENT, "no record at " + check))));
        return found;
    }

    @Test
    void inlineBytesOfAnOlderRequestWinOverEveryReference() {
        StageRequest request = request("img-1", ref("https://store/a.jpg", INGEST, 0, 5, 3));
        request.setImage(new ImageContent("image/png", ByteBuffer.wrap(bytes("inline")), null));

        assertThat(bytesOf(request)).isEqualTo(bytes("inline"));
        assertThat(fetched).isEmpty();
        assertThat(reads).isEmpty();
    }

    @Test
    void theSubmissionsUriIsFetchedBeforeAnyRecordIsRead() {
        web.put("https://store/a.jpg", bytes("from the store"));

        byte[] bytes = bytesOf(request("img-2", ref("https://store/a.jpg", INGEST, 0, 5, 3)));

        assertThat(bytes).isEqualTo(bytes("from the store"));
        assertThat(fetched).containsExactly("https://store/a.jpg");
        assertThat(reads).isEmpty();
    }

    @Test
    void anInlineSubmissionIsReadFromItsIngestRecord() {
        ingest.put(new ClaimCheck(INGEST, 2, 40), found(submission("img-3", bytes("jpeg bytes"), null)));

        byte[] bytes = bytesOf(request("img-3", ref(null, INGEST, 2, 40, 10)));

        assertThat(bytes).isEqualTo(bytes("jpeg bytes"));
        assertThat(reads).containsExactly(List.of(new ClaimCheck(INGEST, 2, 40)));
        assertThat(fetched).isEmpty();
    }

    @Test
    void aSubmissionByUriFoundOnItsRecordIsFetched() {
        ingest.put(new ClaimCheck(INGEST, 0, 7), found(submission("img-4", null, "https://store/b.jpg")));
        web.put("https://store/b.jpg", bytes("b"));

        assertThat(bytesOf(request("img-4", ref(null, INGEST, 0, 7, -1)))).isEqualTo(bytes("b"));
        assertThat(fetched).containsExactly("https://store/b.jpg");
    }

    @Test
    void anOlderRequestWithOnlyAUriInItsImageIsFetched() {
        StageRequest request = request("img-5", null);
        request.setImage(new ImageContent(null, null, "https://store/c.jpg"));
        web.put("https://store/c.jpg", bytes("c"));

        assertThat(bytesOf(request)).isEqualTo(bytes("c"));
    }

    @Test
    void rejectsTheRecordOfAnotherImageAsBadRecord() {
        ingest.put(new ClaimCheck(INGEST, 1, 3), found(submission("someone-else", bytes("x"), null)));

        assertThatThrownBy(() -> bytesOf(request("img-6", ref(null, INGEST, 1, 3, 1))))
                .isInstanceOfSatisfying(RejectedInputException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.BAD_RECORD))
                .hasMessageContaining("img-6").hasMessageContaining("submission of image someone-else")
                .hasMessageContaining(INGEST + " partition 1 offset 3");
    }

    @Test
    void rejectsARecordThatIsNotASubmissionAsBadRecord() {
        ingest.put(new ClaimCheck(INGEST, 0, 1), new ClaimCheckReader.Read.Found(bytes("{\"json\": true}")));

        assertThatThrownBy(() -> bytesOf(request("img-7", ref(null, INGEST, 0, 1, 1))))
                .isInstanceOfSatisfying(RejectedInputException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.BAD_RECORD))
                .hasMessageContaining("is not an ImageSubmitted");
    }

    @Test
    void passesOnWhyTheRecordCouldNotBeReadWithItsReason() {
        ingest.put(new ClaimCheck(INGEST, 0, 2), new ClaimCheckReader.Read.Unavailable(RejectReason.MISSING_CONTENT,
                "images.ingest no longer holds offset 2 of partition 0: raise the topic's retention.ms"));

        assertThatThrownBy(() -> bytesOf(request("img-8", ref(null, INGEST, 0, 2, 1))))
                .isInstanceOfSatisfying(RejectedInputException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.MISSING_CONTENT))
                .hasMessageContaining("img-8").hasMessageContaining("retention.ms");
    }

    @Test
    void passesOnAFetchRefusalWithTheFetchersReason() {
        assertThatThrownBy(() -> bytesOf(request("img-9", ref("https://store/missing.jpg", null, -1, -1, -1))))
                .isInstanceOfSatisfying(RejectedInputException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.FETCH_FAILED))
                .hasMessageContaining("HTTP 404");
    }

    @Test
    void rejectsAPlaceThatNoRecordCanHaveAsBadRecord() {
        assertThatThrownBy(() -> bytesOf(request("img-10", ref(null, INGEST, -1, 4, 1))))
                .isInstanceOfSatisfying(RejectedInputException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.BAD_RECORD))
                .hasMessageContaining("partition -1 offset 4");
        assertThat(reads).isEmpty();
    }

    @Test
    void rejectsARequestThatNamesNoImageAsMissingContentWithTheFix() {
        assertThatThrownBy(() -> bytesOf(request("img-11", null)))
                .isInstanceOfSatisfying(RejectedInputException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.MISSING_CONTENT))
                .hasMessageContaining("img-11").hasMessageContaining("carries no image").hasMessageContaining(FIX);
    }

    @Test
    void readsTheClaimChecksOfAPollTogetherOnceEach() {
        List<IncomingRecord> poll = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ingest.put(new ClaimCheck(INGEST, i % 2, 10 + i), found(submission("p-" + i, bytes("image " + i), null)));
            poll.add(incoming(request("p-" + i, ref(null, INGEST, i % 2, 10 + i, 100))));
        }
        poll.add(incoming(request("p-0", ref(null, INGEST, 0, 10, 100)))); // redelivered: read once
        web.put("https://store/d.jpg", bytes("d"));
        poll.add(incoming(request("p-uri", ref("https://store/d.jpg", null, -1, -1, -1))));

        List<String> decided = originals(10_000).decideAll(poll, (in, window) -> new String(
                window.bytesOf(decode(in), FIX), StandardCharsets.UTF_8));

        assertThat(decided).containsExactly("image 0", "image 1", "image 2", "image 3", "image 0", "d");
        assertThat(reads).hasSize(1);
        assertThat(reads.getFirst()).hasSize(4);
    }

    @Test
    void decidesAPollInWindowsOfAtMostTheReadAheadBytes() {
        List<IncomingRecord> poll = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ingest.put(new ClaimCheck(INGEST, 0, i), found(submission("w-" + i, bytes("w" + i), null)));
            poll.add(incoming(request("w-" + i, ref(null, INGEST, 0, i, 400))));
        }
        // Unknown size: counted as max-bytes (1000), a window of its own.
        ingest.put(new ClaimCheck(INGEST, 0, 9), found(submission("w-big", bytes("big"), null)));
        poll.add(incoming(request("w-big", ref(null, INGEST, 0, 9, -1))));

        List<String> decided = originals(1000).decideAll(poll, (in, window) -> new String(
                window.bytesOf(decode(in), FIX), StandardCharsets.UTF_8));

        assertThat(decided).containsExactly("w0", "w1", "w2", "w3", "w4", "big");
        assertThat(reads).extracting(List::size).containsExactly(2, 2, 1, 1);
    }

    private byte[] bytesOf(StageRequest request) {
        return originals(10_000).decideAll(List.of(incoming(request)), (in, window) -> window.bytesOf(decode(in), FIX))
                .getFirst();
    }

    private static StageRequest request(String imageId, ImageRef original) {
        return StageRequest.newBuilder().setImageId(imageId).setStage(Stage.ATTRIBUTION).setFamily("gan")
                .setOriginal(original).setRequestedAt(Instant.now()).build();
    }

    private static ImageRef ref(String uri, String topic, int partition, long offset, long size) {
        return ImageRef.newBuilder().setUri(uri).setTopic(topic).setPartition(partition).setOffset(offset)
                .setSizeBytes(size).build();
    }

    private static ClaimCheckReader.Read found(ImageSubmitted submission) {
        return new ClaimCheckReader.Read.Found(new AvroSerde<>(ImageSubmitted.class).encode(submission));
    }

    private static ImageSubmitted submission(String imageId, byte[] content, String uri) {
        return ImageSubmitted.newBuilder().setImageId(imageId).setSubmittedAt(Instant.now())
                .setImage(new ImageContent("image/jpeg", content == null ? null : ByteBuffer.wrap(content), uri))
                .build();
    }

    private static IncomingRecord incoming(StageRequest request) {
        return new IncomingRecord(request.getImageId(), new AvroSerde<>(StageRequest.class).encode(request), CHANNEL);
    }

    private static StageRequest decode(IncomingRecord in) {
        return new AvroSerde<>(StageRequest.class).decode(in.topic(), in.payload());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
