package dev.aidetect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.tools.operate.UpCommand;
import dev.aidetect.tools.train.DemoModels;

/**
 * {@code aidetect up} as a user runs it: started on its own, it prints its endpoints and a ready line, serves
 * {@code aidetect submit} (another process) until Ctrl-C, then stops every process it started and exits 0.
 */
class UpCommandIT {
    private static final Path ROOT = Path.of(System.getProperty("aidetect.project.root", "..")).toAbsolutePath();
    private static final Path WORK = ROOT.resolve("end-to-end/target/up-it");

    @TempDir
    Path dir;

    @Test
    void upServesSubmitUntilCtrlCThenStopsEveryProcessItStartedAndExitsZero() throws Exception {
        // given: up on free ports, with its own broker and the demo's models
        int kafka = free();
        int router = free();
        // Trained here (once, shared with the other end-to-end tests) so that up's start is all the wait below covers.
        DemoModels.prepare(ROOT, ROOT.resolve("end-to-end/target/e2e"), new PrintWriter(System.out, true));
        Path samples = DemoModels.writeSamples(dir.resolve("samples"), 1, new PrintWriter(System.out, true));
        try (CliProcess up = CliProcess.start(ROOT, WORK.resolve("cli"), "up", "up", "--kafka-port",
                String.valueOf(kafka), "--embedder-port", String.valueOf(free()), "--classifier-port",
                String.valueOf(free()), "--router-port", String.valueOf(router), "--work-dir",
                WORK.resolve("stack").toString(), "--demo-dir", ROOT.resolve("end-to-end/target/e2e").toString())) {
            up.awaitLine(UpCommand.READY, Duration.ofMinutes(4));
            List<ProcessHandle> children = up.descendants();

            // when: images are submitted from another process, and then Ctrl-C reaches up's process group
            CliProcess submit = CliProcess.start(ROOT, WORK.resolve("cli"), "submit", "submit", samples.toString(),
                    "--bootstrap-servers", "localhost:" + kafka, "--router", "http://localhost:" + router,
                    "--timeout", "PT3M");
            int submitted = submit.awaitExit(Duration.ofMinutes(4));
            long stopAsked = System.nanoTime();
            up.signalGroup("INT");
            int exit = up.awaitExit(Duration.ofMinutes(2));
            System.out.printf("up: stopped %d processes in %d ms after SIGINT%n", children.size(),
                    (System.nanoTime() - stopAsked) / 1_000_000);

            // then
            assertThat(up.out()).contains("kafka bootstrap     localhost:" + kafka,
                    "hierarchy-router    http://localhost:" + router + "  health http://localhost:" + router
                            + "/q/health/ready  metrics http://localhost:" + router + "/q/metrics",
                    "verdict stream      http://localhost:" + router + "/verdicts/stream",
                    "verdict page        http://localhost:" + router + "/  (drop images in a browser");
            assertThat(submitted).as(submit.out() + submit.err()).isZero();
            assertThat(submit.out()).contains("10 submitted, 10 final verdicts").doesNotContain("INVARIANT");
            assertThat(children).as("the broker and the three services").hasSizeGreaterThanOrEqualTo(4);
            assertThat(exit).as(up.err()).isZero();
            assertThat(children).as("no process left running").noneMatch(ProcessHandle::isAlive);
            assertThat(up.err()).contains("stopping (SIGINT)", "stopped everything");
        }
    }

    private static int free() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
