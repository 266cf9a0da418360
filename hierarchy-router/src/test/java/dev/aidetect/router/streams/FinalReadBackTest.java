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
 * verdicts.final is the source of truth: the router reads it back, and an image whose final is there never gets a
 * second one, whoever wrote the first and however late the image's records come. The local closed markers only bridge
 * the time until the final is read back.
 */
class FinalReadBackTest {
    private static final Duration RETENTION = Duration.ofMinutes(10);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final RouterDriver router = new RouterDriver(new RouterSettings(RouterSettings.HIERARCHY, TIMEOUT,
            Duration.ofSeconds(1), RETENTION));

    @AfterEach
    void closeDriver() {
        router.close();
    }

    @Test
    void imageWhoseFinalIsAlreadyOnTheTopicGetsNoCaseAndNoSecondFinal() {
        // given a final written before this router's state existed (an earlier run, state wiped, a reset)
        router.publishFinal(decided("old-1", Authenticity.REAL));

        // when every kind of record for that image arrives again
        router.submit("old-1").embed("old-1").detect("old-1", "FAKE").classifyFamily("old-1", "gan")
                .reject("old-1", Stage.EMBEDDING, RejectReason.CORRUPT, "late");
        router.advance(TIMEOUT.multipliedBy(2));

        // then nothing is asked, nothing is decided, nothing is kept
        assertThat(router.finals()).isEmpty();
        assertThat(router.requests(Topics.FAMILY_REQUESTS)).isEmpty();
        assertThat(router.keys(CaseTopology.CASES_STORE)).isEmpty();
        assertThat(router.openCases).hasValue(0);
    }

    @Test
    void openCaseWhoseFinalReachesTheTopicMeanwhileEndsWithoutASecondFinal() {
        // given an open case, and a final for its image published by someone else (another router application)
        router.submit("img-1").embed("img-1");
        router.publishFinal(decided("img-1", Authenticity.FAKE));

        // when the case would end decided, and another one would time out
        router.detect("img-1", "REAL");
        router.submit("img-2");
        router.publishFinal(decided("img-2", Authenticity.REAL));
        router.advance(TIMEOUT);

        // then neither publishes a final, and neither stays open
        assertThat(router.finals()).isEmpty();
        assertThat(router.observedFinals).isEmpty();
        assertThat(router.keys(CaseTopology.CASES_STORE)).isEmpty();
        assertThat(router.openCases).hasValue(0);
    }

    @Test
    void everyFinalTheRouterPublishesIsReadBackIntoTheStoreThatOutlivesTheClosedMarker() {
        router.submit("img-3").detect("img-3", "REAL");
        FinalVerdict published = single(router.finals());

        router.advance(RETENTION.multipliedBy(3));

        assertThat(router.keys(CaseTopology.FINISHED_STORE)).isEmpty();
        assertThat(router.keys(CaseTopology.FINALS_STORE)).containsExactly("img-3");
        byte[] readBack = router.<byte[]>store(CaseTopology.FINALS_STORE).get("img-3");
        assertThat(Topics.FINAL.valueSerde().deserializer().deserialize(Topics.FINAL.name(), readBack))
                .isEqualTo(published);
    }

    @Test
    void closedMarkerOutlivesItsRetentionWhileTheFinalIsNotReadBack() {
        // given a finished case whose final the read-back store does not hold (its read-back lags; here a tombstone
        // took it out again)
        router.submit("img-4").detect("img-4", "REAL");
        assertThat(router.finals()).hasSize(1);
        router.tombstoneFinal("img-4");

        // when the retention passes, the marker still keeps late records out
        router.advance(RETENTION.plusSeconds(5));
        assertThat(router.keys(CaseTopology.FINISHED_STORE)).containsExactly("img-4");
        router.detect("img-4", "FAKE").submit("img-4").advance(TIMEOUT);
        assertThat(router.finals()).isEmpty();

        // then once the final is read back, the marker goes at the next purge
        router.publishFinal(decided("img-4", Authenticity.REAL)).advance(Duration.ofSeconds(2));
        assertThat(router.keys(CaseTopology.FINISHED_STORE)).isEmpty();
        assertThat(router.keys(CaseTopology.EXPIRY_STORE)).isEmpty();
        assertThat(router.closedCases).hasValue(0);
    }

    @Test
    void aRecordThatIsNotAFinalVerdictStillMarksItsImageFinished() {
        router.tombstoneFinal("nothing-here");
        router.publishRawFinal("garbled", new byte[]{1, 2, 3});

        router.submit("garbled").detect("garbled", "REAL").submit("nothing-here").detect("nothing-here", "REAL");

        assertThat(router.finals()).extracting(FinalVerdict::getImageId).containsExactly("nothing-here");
    }

    private static FinalVerdict decided(String imageId, Authenticity authenticity) {
        return FinalVerdict.newBuilder().setImageId(imageId).setStatus(FinalStatus.DECIDED)
                .setAuthenticity(authenticity).setPath(List.of()).setFinalizedAt(Records.START).build();
    }
}
