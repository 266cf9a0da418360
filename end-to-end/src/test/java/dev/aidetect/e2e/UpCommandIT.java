package dev.aidetect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.tools.operate.UpCommand;
import dev.aidetect.tools.stack.LocalStack;
import dev.aidetect.tools.train.DemoModels;

/**
 * {@code aidetect up} as a user runs it: started on its own, it prints its endpoints and a ready line, serves
 * {@code aidetect submit} (another process) until Ctrl-C, then stops every process it started and exits 0. The admin
 * token it writes for the run (mode 600) is what the classifier's reload takes.
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
        int classifier = free();
        // Trained here (once, shared with the other end-to-end tests) so that up's start is all the wait below covers.
        DemoModels.prepare(ROOT, ROOT.resolve("end-to-end/target/e2e"), new PrintWriter(System.out, true));
        Path samples = DemoModels.writeSamples(dir.resolve("samples"), 1, new PrintWriter(System.out, true));
        try (CliProcess up = CliProcess.start(ROOT, WORK.resolve("cli"), "up", "up", "--kafka-port",
                String.valueOf(kafka), "--embedder-port", String.valueOf(free()), "--classifier-port",
                String.valueOf(classifier), "--router-port", String.valueOf(router), "--work-dir",
                WORK.resolve("stack").toString(), "--demo-dir", ROOT.resolve("end-to-end/target/e2e").toString())) {
            up.awaitLine(UpCommand.READY, Duration.ofMinutes(4));
            List<ProcessHandle> children = up.descendants();
            // and: the admin token up wrote for this run opens the classifier's reload; nothing else does
            Path token = WORK.resolve("stack").resolve(LocalStack.ADMIN_TOKEN_FILE);
            int withToken = reload(classifier, "Bearer " + Files.readString(token).strip());
            int without = reload(classifier, null);

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
            assertThat(up.out()).contains("admin token         ");
            assertThat(Files.getPosixFilePermissions(token)).as("only this user reads the token")
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(withToken).as("reload with the run's admin token").isEqualTo(200);
            assertThat(without).as("reload without a token").isEqualTo(401);
            assertThat(submitted).as(submit.out() + submit.err()).isZero();
            assertThat(submit.out()).contains("10 submitted, 10 final verdicts").doesNotContain("INVARIANT");
            assertThat(children).as("the broker and the three services").hasSizeGreaterThanOrEqualTo(4);
            assertThat(exit).as(up.err()).isZero();
            assertThat(children).as("no process left running").noneMatch(ProcessHandle::isAlive);
            assertThat(up.err()).contains("stopping (SIGINT)", "stopped everything");
        }
    }

    /** {@code POST /models/detection-head/reload} on the classifier; the HTTP status. */
    private static int reload(int port, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/models/detection-head/reload")).POST(HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    private static int free() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
