package dev.aidetect.router.streams;

import static dev.aidetect.router.streams.RouterDriver.single;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageRequest;
import dev.aidetect.schemas.StageVerdict;

/**
 * The in-process runner ends a case as the topology does for the same stage verdicts: the same final (but the time it
 * was written), the same requests asked for in the same order.
 */
class CaseRunnerTest {
    private final RouterDriver topology = new RouterDriver();
    private final CaseRunner runner = CaseRunner.withServiceDefaults();
    private final List<StageRequest> asked = new ArrayList<>();

    @AfterEach
    void closeDriver() {
        topology.close();
    }

    @Test
    void routesWithTheServiceDefaults() {
        RouterSettings defaults = RouterSettings.defaults();

        assertThat(runner.settings().stages()).isEqualTo(defaults.stages());
        assertThat(runner.settings().uncertainBand()).isEqualTo(defaults.uncertainBand());
        assertThat(runner.settings().familyRequestImage()).isEqualTo(defaults.familyRequestImage());
        assertThat(runner.settings().attributionFamily()).isEqualTo(defaults.attributionFamily());
    }

    @Test
    void aRealImageEndsAfterDetectionAsInTheTopology() {
        topology.submit("real").embed("real").detect("real", "REAL", 0.1);

        FinalVerdict ran = run("real", request -> {
            throw new AssertionError("a REAL case asks for no stage, got " + request);
        }, verdict("real", Stage.DETECTION, "REAL", 0.1));

        assertSameFinal(ran, single(topology.finals()));
        assertThat(ran.getAuthenticity()).isEqualTo(Authenticity.REAL);
        assertThat(asked).isEmpty();
    }

    @Test
    void aFakeGoesThroughFamilyAndAttributionAsInTheTopology() {
        topology.submit("fake").embed("fake").detect("fake", "FAKE", 0.9).classifyFamily("fake", "gan")
                .attribute("fake", "stylegan2");

        FinalVerdict ran = run("fake", request -> switch (request.getStage()) {
            case FAMILY -> verdict("fake", Stage.FAMILY, "gan", 0.8);
            case ATTRIBUTION -> verdict("fake", Stage.ATTRIBUTION, "stylegan2", 0.7);
            default -> throw new AssertionError("unexpected request " + request);
        }, verdict("fake", Stage.DETECTION, "FAKE", 0.9));

        assertSameFinal(ran, single(topology.finals()));
        assertThat(ran.getGenerator()).isEqualTo("stylegan2");
        assertThat(asked).extracting(StageRequest::getStage).containsExactly(Stage.FAMILY, Stage.ATTRIBUTION);
        assertThat(asked.get(0).getVector()).isEqualTo(Records.VECTOR);
        assertThat(asked.get(1).getFamily()).isEqualTo("gan");
        assertThat(asked.get(1).getOriginal()).isEqualTo(Records.ORIGINAL);
    }

    @Test
    void aScoreWithinTheBandEndsUncertainAsInTheTopology() {
        topology.submit("close").embed("close").detect("close", "FAKE", 0.53);

        FinalVerdict ran = run("close", request -> {
            throw new AssertionError("an UNCERTAIN case asks for no stage, got " + request);
        }, verdict("close", Stage.DETECTION, "FAKE", 0.53));

        assertSameFinal(ran, single(topology.finals()));
        assertThat(ran.getAuthenticity()).isEqualTo(Authenticity.UNCERTAIN);
    }

    @Test
    void aStageRejectionEndsTheCaseRejectedWithThePathSoFar() {
        topology.submit("bad").embed("bad").detect("bad", "FAKE", 0.9)
                .reject("bad", Stage.FAMILY, RejectReason.BAD_VECTOR, "no vector");

        FinalVerdict ran = run("bad", request -> new CaseRunner.StageOutcome.Rejected(
                Records.rejection("bad", Stage.FAMILY, RejectReason.BAD_VECTOR, "no vector")),
                verdict("bad", Stage.DETECTION, "FAKE", 0.9));

        FinalVerdict expected = single(topology.finals());
        assertSameFinal(ran, expected);
        assertThat(ran.getStatus()).isEqualTo(FinalStatus.REJECTED);
        assertThat(ran.getRejection().getReason()).isEqualTo(RejectReason.BAD_VECTOR);
    }

    @Test
    void anEmbedderRejectionEndsTheCaseRejectedWithNoPath() {
        topology.submit("broken").reject("broken", Stage.EMBEDDING, RejectReason.CORRUPT, "truncated JPEG");

        FinalVerdict ran = runner.rejected(Records.submission("broken"),
                Records.rejection("broken", Stage.EMBEDDING, RejectReason.CORRUPT, "truncated JPEG"),
                Records.START.toEpochMilli());

        assertSameFinal(ran, single(topology.finals()));
        assertThat(ran.getPath()).isEmpty();
    }

    private FinalVerdict run(String imageId, Function<StageRequest, CaseRunner.StageOutcome> stages,
            CaseRunner.StageOutcome detection) {
        return runner.run(Records.submission(imageId), Records.embedding(imageId), new CaseRunner.Stages() {
            @Override
            public CaseRunner.StageOutcome detect(ImageEmbedding embedding) {
                return detection;
            }

            @Override
            public CaseRunner.StageOutcome decide(StageRequest request) {
                asked.add(request);
                return stages.apply(request);
            }
        }, Records.START::toEpochMilli);
    }

    private static CaseRunner.StageOutcome verdict(String imageId, Stage stage, String decision, double score) {
        StageVerdict verdict = Records.verdict(imageId, stage, decision, score);
        return new CaseRunner.StageOutcome.Verdict(verdict);
    }

    /** Equal but for when the final was written, which is each run's own clock. */
    private static void assertSameFinal(FinalVerdict ran, FinalVerdict published) {
        assertThat(FinalVerdict.newBuilder(ran).setFinalizedAt(published.getFinalizedAt())
                .setLatencyMillis(published.getLatencyMillis()).build()).isEqualTo(published);
    }
}
