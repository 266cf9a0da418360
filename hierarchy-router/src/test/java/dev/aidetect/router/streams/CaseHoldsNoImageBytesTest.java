package dev.aidetect.router.streams;

import static dev.aidetect.router.streams.RouterDriver.single;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageReceived;
import dev.aidetect.schemas.ImageRef;
import dev.aidetect.schemas.RouterCase;
import dev.aidetect.schemas.StageRequest;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.AvroSerde;

/**
 * A case holds no image bytes however large the image: the router reads the embedder's receipts, never
 * images.ingest, and hands the stage that needs the pixels a reference to them. So every case, and every change of it
 * on the store's changelog topic, stays small, and no image is too large to attribute.
 */
class CaseHoldsNoImageBytesTest {
    /** A phone photo of 12 MB, sent inline: its images.ingest record, as the embedder's receipt names it. */
    private static final ImageRef TWELVE_MEGABYTES_INLINE = ImageRef.newBuilder().setTopic(Topics.INGEST.name())
            .setPartition(2).setOffset(123_456).setSizeBytes(12_000_000).setContentType("image/jpeg").build();
    private static final int SMALL = 2048;

    private final RouterDriver router = new RouterDriver();

    @AfterEach
    void closeDriver() {
        router.close();
    }

    @Test
    void aTwelveMegabyteInlineFakesCaseStaysSmallAndItsAttributionRequestCarriesTheReference() {
        // given the receipt of a 12 MB inline submission, its embedding and a FAKE detection
        router.submit(received("phone-fake", TWELVE_MEGABYTES_INLINE)).embed("phone-fake").detect("phone-fake",
                "FAKE");

        // then the open case keeps where the pixels are, not the pixels
        RouterCase stored = router.<RouterCase>store(CaseTopology.CASES_STORE).get("phone-fake");
        assertThat(stored.getOriginal()).isEqualTo(TWELVE_MEGABYTES_INLINE);
        assertThat(stored.getImage()).isNull();
        assertThat(serializedSize(new AvroSerde<>(RouterCase.class), stored)).as("bytes of the stored case")
                .isLessThan(SMALL);

        // when the family stage says gan
        router.classifyFamily("phone-fake", "gan");

        // then attribution is asked with the reference, and the request is as small as the case
        StageRequest request = single(router.requests(Topics.GAN_ATTRIBUTION_REQUESTS));
        assertThat(request.getOriginal()).isEqualTo(TWELVE_MEGABYTES_INLINE);
        assertThat(request.getImage()).isNull();
        assertThat(serializedSize(Topics.GAN_ATTRIBUTION_REQUESTS.valueSerde(), request)).as("bytes of the request")
                .isLessThan(SMALL);
        assertThat(router.finals()).isEmpty();

        // and the attribution verdict decides it
        router.attribute("phone-fake", "stylegan2");
        FinalVerdict verdict = single(router.finals());
        assertThat(verdict.getStatus()).isEqualTo(FinalStatus.DECIDED);
        assertThat(verdict.getGenerator()).isEqualTo("stylegan2");
    }

    @Test
    void aFakeSubmittedByUriIsAttributedWithItsUri() {
        ImageRef byUri = ImageRef.newBuilder().setUri("https://cdn.example.com/uploads/phone.jpg").build();

        router.submit(received("uri-fake", byUri)).embed("uri-fake").detect("uri-fake", "FAKE")
                .classifyFamily("uri-fake", "diffusion");

        StageRequest request = single(router.requests(Topics.DIFFUSION_ATTRIBUTION_REQUESTS));
        assertThat(request.getOriginal().getUri()).isEqualTo("https://cdn.example.com/uploads/phone.jpg");
        assertThat(request.getImage()).isNull();
    }

    @Test
    void aTwelveMegabyteInlineRealImageEndsDecided() {
        router.submit(received("phone-real", TWELVE_MEGABYTES_INLINE)).embed("phone-real").detect("phone-real",
                "REAL");

        FinalVerdict verdict = single(router.finals());
        assertThat(verdict.getStatus()).isEqualTo(FinalStatus.DECIDED);
        assertThat(verdict.getAuthenticity()).isEqualTo(Authenticity.REAL);
    }

    private static ImageReceived received(String imageId, ImageRef original) {
        ImageReceived receipt = Records.submission(imageId);
        receipt.setOriginal(original);
        return receipt;
    }

    private static <V> int serializedSize(Serde<V> serde, V value) {
        return serde.serializer().serialize("size", value).length;
    }
}
