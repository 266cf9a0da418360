package dev.aidetect.router.streams;

import static dev.aidetect.router.streams.RouterDriver.single;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.Topics;

/**
 * Exactly one final verdict per image: duplicated records change nothing, and records arriving after the final are
 * ignored, while the closed marker is kept and after it, since verdicts.final is read back.
 */
class DuplicatesAndClosedCasesTest {
    private static final Duration RETENTION = Duration.ofMinutes(10);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final RouterDriver router = new RouterDriver(new RouterSettings(RouterSettings.HIERARCHY, TIMEOUT,
            Duration.ofSeconds(1), RETENTION));

    @AfterEach
    void closeDriver() {
        router.close();
    }

    @Test
    void duplicatedVerdictsSendEachRequestOnceAndEndInOneFinal() {
        router.submit("img-1").embed("img-1").embed("img-1")
                .detect("img-1", "FAKE").detect("img-1", "FAKE")
                .classifyFamily("img-1", "gan").classifyFamily("img-1", "gan")
                .attribute("img-1", "stylegan2").attribute("img-1", "stylegan2");

        assertThat(router.requests(Topics.FAMILY_REQUESTS)).hasSize(1);
        assertThat(router.requests(Topics.GAN_ATTRIBUTION_REQUESTS)).hasSize(1);
        assertThat(single(router.finals()).getGenerator()).isEqualTo("stylegan2");
    }

    @Test
    void firstVerdictOfAStageWinsOverAConflictingDuplicate() {
        router.submit("img-2").detect("img-2", "FAKE").detect("img-2", "REAL").embed("img-2");

        assertThat(router.finals()).isEmpty();
        assertThat(router.requests(Topics.FAMILY_REQUESTS)).hasSize(1);
    }

    @Test
    void duplicatedSubmissionsEndInOneFinal() {
        router.submit("img-3").submit("img-3").detect("img-3", "REAL").submit("img-3");

        assertThat(single(router.finals()).getStatus()).isEqualTo(FinalStatus.DECIDED);
    }

    @Test
    void recordsArrivingAfterTheFinalAreIgnoredAndDoNotReopenTheCase() {
        router.submit("img-4").detect("img-4", "REAL");
        assertThat(router.finals()).hasSize(1);

        router.submit("img-4").embed("img-4").detect("img-4", "FAKE")
                .reject("img-4", Stage.EMBEDDING, RejectReason.CORRUPT, "late");
        router.advance(TIMEOUT.multipliedBy(2));

        assertThat(router.finals()).isEmpty();
        assertThat(router.requests(Topics.FAMILY_REQUESTS)).isEmpty();
        assertThat(router.store(CaseTopology.CASES_STORE).get("img-4")).isNull();
    }

    @Test
    void closedMarkerIsPurgedAfterTheRetentionAndNotBefore() {
        router.submit("img-5").detect("img-5", "REAL");
        router.advance(RETENTION.minusSeconds(5));
        assertThat(router.store(CaseTopology.FINISHED_STORE).get("img-5")).isNotNull();

        router.advance(Duration.ofSeconds(10));

        assertThat(router.store(CaseTopology.FINISHED_STORE).get("img-5")).isNull();
        assertThat(router.store(CaseTopology.EXPIRY_STORE).approximateNumEntries()).isZero();
    }

    @Test
    void recordAfterTheClosedMarkerExpiredIsIgnoredBecauseTheReadBackStoreHasTheFinal() {
        router.submit("img-6").detect("img-6", "REAL");
        router.advance(RETENTION.plusSeconds(1));
        assertThat(router.finals()).hasSize(1);
        assertThat(router.store(CaseTopology.FINISHED_STORE).get("img-6")).as("local marker purged").isNull();

        router.detect("img-6", "FAKE").submit("img-6").advance(TIMEOUT.multipliedBy(2));

        assertThat(router.finals()).isEmpty();
        assertThat(router.store(CaseTopology.CASES_STORE).get("img-6")).isNull();
        assertThat(router.store(CaseTopology.FINALS_STORE).get("img-6")).as("read back from verdicts.final")
                .isNotNull();
    }

    @Test
    void observerSeesOpenCasesComeAndGoAndEveryFinalOnce() {
        router.submit("img-7").submit("img-8").submit("img-9");
        assertThat(router.openCases).hasValue(3);

        router.detect("img-7", "REAL").reject("img-8", Stage.EMBEDDING, RejectReason.CORRUPT, "bad");
        assertThat(router.openCases).hasValue(1);

        router.advance(TIMEOUT);
        assertThat(router.openCases).hasValue(0);
        List<FinalVerdict> finals = router.finals();
        assertThat(router.observedFinals).containsExactlyElementsOf(finals);
        assertThat(finals).extracting(FinalVerdict::getAuthenticity)
                .containsExactly(Authenticity.REAL, Authenticity.UNKNOWN, Authenticity.UNKNOWN);
    }
}
