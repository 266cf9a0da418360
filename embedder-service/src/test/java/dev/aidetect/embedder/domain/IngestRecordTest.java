package dev.aidetect.embedder.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.schemas.ImageReceived;
import dev.aidetect.schemas.ImageRef;
import dev.aidetect.schemas.ImageSubmitted;

class IngestRecordTest {
    private static final Instant SUBMITTED = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant RECEIVED = SUBMITTED.plusSeconds(2);

    @Test
    void countsANullOrBlankKeyAsNoKey() {
        assertThat(new IngestRecord(null, "images.ingest", 2, 17, new byte[0]).keyed()).isFalse();
        assertThat(new IngestRecord(" ", "images.ingest", 0, 3, new byte[0]).keyed()).isFalse();
        assertThat(new IngestRecord("key-1", "images.ingest", 0, 3, new byte[0]).keyed()).isTrue();
    }

    @Test
    void acceptsNoKeyABlankKeyOrTheValuesOwnIdAsKey() {
        assertThat(new IngestRecord(null, "images.ingest", 0, 1, new byte[0]).keyProblem("img-1")).isNull();
        assertThat(new IngestRecord("", "images.ingest", 0, 1, new byte[0]).keyProblem("img-1")).isNull();
        assertThat(new IngestRecord("img-1", "images.ingest", 0, 1, new byte[0]).keyProblem("img-1")).isNull();
    }

    @Test
    void saysAKeyThatDisagreesWithTheValuesIdIsWrongAndHowToSendIt() {
        String problem = new IngestRecord("img-2", "images.ingest", 1, 9, new byte[0]).keyProblem("img-1");

        assertThat(problem).contains("key 'img-2'", "imageId 'img-1'", "images.ingest-1@9",
                "key images.ingest records by their image id, or send no key");
    }

    @Test
    void receiptOfAnInlineSubmissionPointsAtItsIngestRecordAndCarriesWhatTheUploaderSent() {
        ImageSubmitted submitted = submission(
                new ImageContent("image/jpeg", ByteBuffer.wrap(new byte[12_000_000]), null));

        ImageReceived receipt = new IngestRecord(null, "images.ingest", 2, 41, new byte[0]).receipt(submitted,
                RECEIVED);

        assertThat(receipt.getImageId()).isEqualTo("img-1");
        assertThat(receipt.getSubmittedAt()).isEqualTo(SUBMITTED);
        assertThat(receipt.getReceivedAt()).isEqualTo(RECEIVED);
        assertThat(receipt.getSource()).isEqualTo("platform-a");
        assertThat(receipt.getAttributes()).containsExactlyEntriesOf(Map.of("uploader", "alice"));
        assertThat(receipt.getLabel().getAuthenticity()).isEqualTo(Authenticity.FAKE);
        assertThat(receipt.getOriginal()).isEqualTo(ImageRef.newBuilder().setTopic("images.ingest").setPartition(2)
                .setOffset(41).setSizeBytes(12_000_000).setContentType("image/jpeg").build());
    }

    @Test
    void receiptOfAUriSubmissionCarriesTheUriOnly() {
        ImageSubmitted submitted = submission(new ImageContent(null, null, "https://cdn.example.com/p/1.jpg"));

        ImageReceived receipt = new IngestRecord("img-1", "images.ingest", 0, 5, new byte[0]).receipt(submitted,
                RECEIVED);

        assertThat(receipt.getOriginal())
                .isEqualTo(ImageRef.newBuilder().setUri("https://cdn.example.com/p/1.jpg").build());
        assertThat(receipt.getOriginal().getTopic()).isNull();
        assertThat(receipt.getOriginal().getOffset()).isEqualTo(-1);
    }

    @Test
    void inlineContentWinsOverAUriAsTheEmbedderReadsIt() {
        ImageSubmitted submitted = submission(
                new ImageContent(null, ByteBuffer.wrap(new byte[10]), "https://cdn.example.com/p/1.jpg"));

        ImageRef original = new IngestRecord(null, "images.ingest", 0, 5, new byte[0]).receipt(submitted, RECEIVED)
                .getOriginal();

        assertThat(original.getUri()).isNull();
        assertThat(original.getOffset()).isEqualTo(5);
        assertThat(original.getSizeBytes()).isEqualTo(10);
    }

    private static ImageSubmitted submission(ImageContent image) {
        return ImageSubmitted.newBuilder().setImageId("img-1").setSubmittedAt(SUBMITTED).setSource("platform-a")
                .setImage(image).setAttributes(Map.of("uploader", "alice"))
                .setLabel(new ImageLabel(Authenticity.FAKE, "gan", "stylegan2", "unit")).build();
    }
}
