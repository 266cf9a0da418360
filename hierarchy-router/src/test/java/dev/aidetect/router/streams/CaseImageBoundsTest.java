package dev.aidetect.router.streams;

import static dev.aidetect.router.streams.RouterDriver.single;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.RouterCase;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.Topics;

/** A case keeps the submitted image only up to aidetect.router.max-case-image-bytes, so its state stays bounded. */
class CaseImageBoundsTest {
    private static final int CAP = 1024;

    private final RouterDriver router = new RouterDriver(RouterSettings.defaults().withMaxCaseImageBytes(CAP));

    @AfterEach
    void closeDriver() {
        router.close();
    }

    @Test
    void fakeCaseWhoseInlineImageExceedsTheCapEndsRejectedTooLargeInsteadOfAskingAttribution() {
        router.submit(withPixels("big", CAP + 1)).embed("big").detect("big", "FAKE");
        RouterCase stored = router.<RouterCase>store(CaseTopology.CASES_STORE).get("big");
        assertThat(stored.getImage().getContent()).as("the pixels are not kept").isNull();

        router.classifyFamily("big", "gan");

        FinalVerdict verdict = single(router.finals());
        assertThat(verdict.getStatus()).isEqualTo(FinalStatus.REJECTED);
        assertThat(verdict.getAuthenticity()).isEqualTo(Authenticity.FAKE);
        assertThat(verdict.getFamily()).isEqualTo("gan");
        assertThat(verdict.getRejection().getStage()).isEqualTo(Stage.ROUTING);
        assertThat(verdict.getRejection().getReason()).isEqualTo(RejectReason.TOO_LARGE);
        assertThat(verdict.getRejection().getMessage())
                .contains("ATTRIBUTION", (CAP + 1) + " bytes", "aidetect.router.max-case-image-bytes", "by uri");
        assertThat(router.requests(Topics.GAN_ATTRIBUTION_REQUESTS)).isEmpty();
    }

    @Test
    void realCaseWhoseInlineImageExceedsTheCapStillEndsDecided() {
        router.submit(withPixels("big-real", 10 * CAP)).embed("big-real").detect("big-real", "REAL");

        FinalVerdict verdict = single(router.finals());
        assertThat(verdict.getStatus()).isEqualTo(FinalStatus.DECIDED);
        assertThat(verdict.getAuthenticity()).isEqualTo(Authenticity.REAL);
    }

    @Test
    void imageOfExactlyTheCapIsKeptAndSentToAttribution() {
        router.submit(withPixels("edge", CAP)).embed("edge").detect("edge", "FAKE").classifyFamily("edge", "gan");

        ImageContent sent = single(router.requests(Topics.GAN_ATTRIBUTION_REQUESTS)).getImage();
        assertThat(sent.getContent().remaining()).isEqualTo(CAP);
        assertThat(sent.getUri()).isNull();
    }

    private static ImageSubmitted withPixels(String imageId, int bytes) {
        ImageSubmitted submission = Records.submission(imageId);
        submission.setImage(new ImageContent("image/png", ByteBuffer.wrap(new byte[bytes]), null));
        return submission;
    }
}
