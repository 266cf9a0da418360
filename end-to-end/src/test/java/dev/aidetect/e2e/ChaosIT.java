package dev.aidetect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.aidetect.common.MoreFiles;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.testing.Prerequisites;
import dev.aidetect.tools.chaos.ChaosImages;
import dev.aidetect.tools.chaos.ChaosOutcome;
import dev.aidetect.tools.chaos.ChaosPlan;
import dev.aidetect.tools.chaos.ChaosRun;
import dev.aidetect.tools.stack.LocalStack;
import dev.aidetect.tools.train.DemoModels;

/**
 * The short version of {@code ./aidetect chaos}: 1,500 images (CIFAKE's small ones and a few 12 MP phone photos)
 * through the packaged services on the local broker as its own process, while the embedder, the classifier, the router
 * and the broker are each killed (SIGKILL) and restarted, one of them twice. Afterwards every image has exactly one
 * committed final verdict, none of them TIMED_OUT (the stage timeout is longer than any recovery), and every restarted
 * component produced output again. Prints the run's table.
 */
class ChaosIT {
    private static final Path ROOT = Path.of(System.getProperty("aidetect.project.root", "..")).toAbsolutePath();
    private static final Path CIFAKE_DEV = ROOT.resolve("../shared/data/cifake-dev").normalize();
    private static final Path WORK = ROOT.resolve("end-to-end/target/chaos-it");
    private static final int IMAGES = 1_000;
    private static final int KILLS = 4;
    private static final long SEED = 16;
    /**
     * Generous: on a 2-core machine shared with other builds (load average 30) a restart took 47-58 s, and the run
     * 6.5 minutes; an image that is lost fails the invariant, not the clock.
     */
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(15);

    @Test
    void everyImageGetsExactlyOneFinalVerdictWhileEachComponentIsKilledAndRestarted() throws Exception {
        Prerequisites.require(Files.isDirectory(CIFAKE_DEV), "the CIFAKE sample " + CIFAKE_DEV,
                "place it at ../shared/data/cifake-dev beside the project (see ../shared/data/README.md)");
        // given the packaged services on a broker process of their own, and a plan of four kills, one of each
        PrintWriter log = new PrintWriter(System.out, true);
        MoreFiles.deleteRecursively(WORK.resolve("stack"));
        DemoModels models = DemoModels.prepare(ROOT, ROOT.resolve("end-to-end/target/e2e"), log);
        ChaosImages images = ChaosImages.load(CIFAKE_DEV, WORK.resolve("phone"), true);
        ChaosPlan plan = ChaosPlan.of(IMAGES, KILLS, 128, SEED);
        ChaosOutcome outcome;
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(ROOT, WORK.resolve("stack"), null, 0, 3,
                models.serviceEnv(Duration.ofMinutes(10))), log)) {
            // when the images flow while the plan kills and restarts each component
            outcome = ChaosRun.run(stack, new ChaosRun.Settings(plan, images, 0.01, 128, RUN_TIMEOUT,
                    "chaos-it-" + Long.toString(System.currentTimeMillis(), 36)), log);
        }

        // then each image has exactly one committed final verdict, none timed out, and every component came back
        outcome.print(log);
        assertThat(outcome.recoveries()).hasSize(KILLS);
        for (ChaosPlan.Target target : ChaosPlan.Target.values()) {
            assertThat(outcome.recoveries()).as("kills of " + target.label())
                    .anyMatch(r -> r.kill().kill().target() == target);
        }
        FinalVerdicts.assertExactlyOneEach(outcome.ids(), outcome.verdicts());
        assertThat(outcome.streamDuplicates()).as("second final verdicts seen live").isZero();
        assertThat(outcome.verdicts().values()).as("final statuses")
                .noneMatch(v -> v.getFirst().getStatus() == FinalStatus.TIMED_OUT);
        assertThat(outcome.recoveries()).as("each restarted component's next output")
                .allMatch(r -> r.nextOutput() != null);
        assertThat(outcome.holds()).isTrue();
    }
}
