package dev.aidetect.router.streams;

import static dev.aidetect.router.streams.RouterDriver.single;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.Stage;

/**
 * Time the pipeline itself is down (the router stopped or restarting, its stream thread held up by an unreachable
 * broker) is not time a stage failed to answer: after the router resumes, every open case gets the whole stage timeout
 * again before it can end TIMED_OUT, and records that arrive in it still decide the case.
 */
class PipelineOutageTest {
    private static final RouterSettings SETTINGS = RouterSettings.defaults();
    private static final Duration TIMEOUT = SETTINGS.stageTimeout();
    private static final Duration TICK = SETTINGS.punctuateInterval();

    @Test
    void restartedRouterGivesCasesOlderThanTheStageTimeoutTheWholeTimeoutAgain() {
        SurvivingStores stores = new SurvivingStores();
        // given a case waiting for its embedding when the router stops
        try (RouterDriver before = new RouterDriver(SETTINGS, stores)) {
            before.submit("img-1").submit("img-2").advance(TICK);
            assertThat(before.finals()).isEmpty();
        }

        // when the router starts again five stage timeouts later (as after an outage)
        var restartedAt = Records.START.plus(TIMEOUT.multipliedBy(5));
        try (RouterDriver after = new RouterDriver(SETTINGS, stores, restartedAt)) {
            assertThat(after.keys(CaseTopology.CASES_STORE)).as("open cases kept").containsExactlyInAnyOrder("img-1",
                    "img-2");
            after.advance(TIMEOUT.minus(TICK));

            // then nothing timed out at once, the embedding that arrives now still moves its case on
            assertThat(after.finals()).as("finals within a stage timeout of the restart").isEmpty();
            after.embed("img-1").detect("img-1", "REAL");
            assertThat(single(after.finals()).getStatus()).isEqualTo(FinalStatus.DECIDED);

            // and a case whose stage stays silent for a whole stage timeout after the restart still times out
            after.advance(TICK);
            FinalVerdict silent = single(after.finals());
            assertThat(silent.getImageId()).isEqualTo("img-2");
            assertThat(silent.getStatus()).isEqualTo(FinalStatus.TIMED_OUT);
            assertThat(silent.getWaitingFor()).isEqualTo(Stage.EMBEDDING);
            assertThat(silent.getFinalizedAt()).isEqualTo(restartedAt.plus(TIMEOUT));
        }
    }

    @Test
    void routerHeldUpLongerThanTheStageTimeoutGivesOpenCasesTheWholeTimeoutAgain() {
        try (RouterDriver router = new RouterDriver()) {
            // given a case waiting for its embedding
            router.submit("img-3").advance(TICK);

            // when the router's thread is held up for twice the stage timeout (the broker was unreachable)
            router.pause(TIMEOUT.multipliedBy(2));

            // then the case does not time out until a whole stage timeout has passed since
            router.advance(TIMEOUT.minus(TICK));
            assertThat(router.finals()).isEmpty();
            router.advance(TICK);
            assertThat(single(router.finals()).getWaitingFor()).isEqualTo(Stage.EMBEDDING);
        }
    }

    @Test
    void shortHoldUpsDoNotExtendTheTimeout() {
        try (RouterDriver router = new RouterDriver()) {
            // given a case waiting, and a router whose punctuator runs late but within the pause threshold
            router.submit("img-4").advance(TICK);
            Duration late = Duration.ofMillis(CaseProcessor.pauseThreshold(SETTINGS));

            // when the stage timeout passes in such late steps
            for (Duration passed = TICK; passed.compareTo(TIMEOUT) < 0; passed = passed.plus(late)) {
                router.pause(late);
            }

            // then the case times out on time
            assertThat(single(router.finals()).getStatus()).isEqualTo(FinalStatus.TIMED_OUT);
        }
    }
}
