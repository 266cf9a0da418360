package dev.aidetect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.kafka.LocalKafkaBroker;
import dev.aidetect.tools.operate.UpCommand;
import dev.aidetect.tools.train.DemoModels;

/**
 * Kafka security settings from one file reach every client of the pipeline: on a broker whose only listener takes
 * SASL/PLAIN logins, {@code aidetect up --kafka-config FILE} starts the three services, whose admin clients create the
 * pipeline topics, whose channels and Kafka Streams carry the images to final verdicts, and whose verdict feed
 * ({@code GET /verdicts/stream}) serves them; {@code aidetect submit} gets in with the same file. SIGTERM stops it all.
 */
class UpOnASaslClusterIT {
    private static final Path ROOT = Path.of(System.getProperty("aidetect.project.root", "..")).toAbsolutePath();
    private static final Path WORK = ROOT.resolve("end-to-end/target/up-sasl-it");

    @TempDir
    Path dir;

    @Test
    void everyServiceClientAndTheCommandLineWorkOnASaslOnlyClusterWithOneSettingsFile() throws Exception {
        // given: a broker that takes only SASL/PLAIN logins, no topics, and one client settings file
        try (LocalKafkaBroker broker = LocalKafkaBroker.startTemporaryWithSaslPlain("aidetect", "s3cret")) {
            Path config = Files.writeString(dir.resolve("client.properties"),
                    LocalKafkaBroker.saslPlainClientSettings("aidetect", "s3cret").entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n")));
            // Trained here (once, shared with the other end-to-end tests) so that up's start is all the wait below covers.
            DemoModels.prepare(ROOT, ROOT.resolve("end-to-end/target/e2e"), new PrintWriter(System.out, true));
            Path samples = DemoModels.writeSamples(dir.resolve("samples"), 1, new PrintWriter(System.out, true));
            int router = free();
            try (CliProcess up = CliProcess.start(ROOT, WORK.resolve("cli"), "up", "up", "--bootstrap-servers",
                    broker.bootstrapServers(), "--kafka-config", config.toString(), "--embedder-port",
                    String.valueOf(free()), "--classifier-port", String.valueOf(free()), "--router-port",
                    String.valueOf(router), "--work-dir", WORK.resolve("stack").toString(), "--demo-dir",
                    ROOT.resolve("end-to-end/target/e2e").toString())) {
                up.awaitLine(UpCommand.READY, Duration.ofMinutes(4));
                List<ProcessHandle> children = up.descendants();
                List<String> feed = new CopyOnWriteArrayList<>();
                // Not closed but shut down: close() would wait for the stream, which ends only when the router stops.
                HttpClient http = HttpClient.newHttpClient();
                try {
                    http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + router + "/verdicts/stream"))
                            .build(), HttpResponse.BodyHandlers.ofLines())
                            .thenAccept(response -> response.body().forEach(feed::add));

                    // when: images are submitted with the same settings file
                    CliProcess submit = CliProcess.start(ROOT, WORK.resolve("cli"), "submit", "submit",
                            samples.toString(), "--bootstrap-servers", broker.bootstrapServers(), "--kafka-config",
                            config.toString(), "--router", "http://localhost:" + router, "--timeout", "PT3M");
                    int submitted = submit.awaitExit(Duration.ofMinutes(4));

                    // then: every image got its one final verdict, and the verdict feed served them
                    assertThat(submitted).as(submit.out() + submit.err()).isZero();
                    assertThat(submit.out()).contains("10 submitted, 10 final verdicts");
                    await().atMost(Duration.ofSeconds(30)).until(() -> feed.stream()
                            .filter(line -> line.startsWith("data:")).count() >= 10);
                } finally {
                    http.shutdownNow();
                }
                up.signal("TERM");
                assertThat(up.awaitExit(Duration.ofMinutes(2))).as(up.err()).isZero();
                assertThat(children).hasSizeGreaterThanOrEqualTo(3).noneMatch(ProcessHandle::isAlive);
                assertThat(up.out()).contains("kafka bootstrap     " + broker.bootstrapServers()
                        + " (client settings " + config + ")");
            }
        }
    }

    private static int free() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
