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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.kafka.LocalKafkaBroker;
import dev.aidetect.kafka.PipelineAcls;
import dev.aidetect.kafka.SecuredKafkaBroker;
import dev.aidetect.tools.operate.UpCommand;
import dev.aidetect.tools.train.DemoModels;

/**
 * Kafka security settings reach every client of the pipeline. On a broker whose only listener takes SASL/PLAIN logins,
 * {@code aidetect up --kafka-config FILE} starts the three services, whose admin clients create the pipeline topics,
 * whose channels and Kafka Streams carry the images to final verdicts, and whose verdict feed
 * ({@code GET /verdicts/stream}) serves them; {@code aidetect submit} gets in with the same file. On a TLS and SCRAM
 * broker with ACLs, {@code --kafka-config-dir} gives each service its own principal. SIGTERM stops it all.
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

            // when / then: up starts the services with it, submit gets in with it, every image gets its verdict
            CliProcess up = upSubmitAndStop(broker.bootstrapServers(), config);

            assertThat(up.out()).contains("kafka bootstrap     " + broker.bootstrapServers()
                    + " (client settings " + config + ")");
        }
    }

    /**
     * A principal per service on a cluster as it should be run: TLS, SCRAM logins, and ACLs that deny what they do not
     * allow ({@code kafka-local}'s {@code PipelineAcls}: each service may read and write only its own topics, and may
     * not create any). {@code up --kafka-config-dir} gives each service its own settings file, whose password comes
     * from a secrets file through Kafka's {@code FileConfigProvider}; the admin's file creates the topics and submits.
     */
    @Test
    void eachServiceWithItsOwnPrincipalCarriesImagesToFinalVerdictsOnATlsScramClusterWithAcls() throws Exception {
        // given: a SASL_SSL/SCRAM-SHA-512 broker with the pipeline's ACLs, no topics, and a settings file per principal
        try (SecuredKafkaBroker broker = SecuredKafkaBroker.startTemporary()) {
            Path admin = broker.writeClientConfig(PipelineAcls.ADMIN, dir.resolve("admin.properties"));
            Path services = Files.createDirectories(dir.resolve("services"));
            for (String service : PipelineAcls.SERVICES) {
                writeWithPasswordFromASecretsFile(broker, service, services);
            }

            // when / then: up creates the topics as the admin, each service works as itself, submit gets in as admin
            CliProcess up = upSubmitAndStop(broker.bootstrapServers(), admin, "--kafka-config-dir",
                    services.toString());

            assertThat(up.out()).contains("(client settings " + admin + "; each service's own in " + services + ")");
            assertThat(up.err()).contains("pipeline topics ready on " + broker.bootstrapServers());
        }
    }

    /**
     * Runs {@code up} on the cluster with {@code config} (and {@code upOptions}), submits ten images with the same file,
     * checks that each got its final verdict and that the verdict feed served them, and stops the stack with SIGTERM.
     */
    private CliProcess upSubmitAndStop(String bootstrapServers, Path config, String... upOptions) throws Exception {
        // Trained here (once, shared with the other end-to-end tests) so that up's start is all the wait below covers.
        DemoModels.prepare(ROOT, ROOT.resolve("end-to-end/target/e2e"), new PrintWriter(System.out, true));
        Path samples = DemoModels.writeSamples(dir.resolve("samples"), 1, new PrintWriter(System.out, true));
        int router = free();
        List<String> args = new ArrayList<>(List.of("up", "--bootstrap-servers", bootstrapServers, "--kafka-config",
                config.toString(), "--embedder-port", String.valueOf(free()), "--classifier-port",
                String.valueOf(free()), "--router-port", String.valueOf(router), "--work-dir",
                WORK.resolve("stack").toString(), "--demo-dir", ROOT.resolve("end-to-end/target/e2e").toString()));
        args.addAll(List.of(upOptions));
        try (CliProcess up = CliProcess.start(ROOT, WORK.resolve("cli"), "up", args.toArray(String[]::new))) {
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
                        samples.toString(), "--bootstrap-servers", bootstrapServers, "--kafka-config",
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
            return up;
        }
    }

    /**
     * Writes {@code <service>.properties} into {@code dir}: the service's login, its password not in the file but in
     * {@code secrets/<service>.properties}, which Kafka's {@code FileConfigProvider} reads when the client starts.
     */
    private static void writeWithPasswordFromASecretsFile(SecuredKafkaBroker broker, String service, Path dir)
            throws IOException {
        Map<String, String> settings = new TreeMap<>(broker.clientSettings(service));
        String jaas = settings.get("sasl.jaas.config");
        String password = jaas.replaceAll(".*password=\"([^\"]*)\".*", "$1");
        Path secrets = Files.createDirectories(dir.resolve("secrets")).resolve(service + ".properties");
        Files.writeString(secrets, "password=" + password + "\n");
        settings.put("sasl.jaas.config", jaas.replace(password, "${file:" + secrets.toAbsolutePath() + ":password}"));
        settings.put("config.providers", "file");
        settings.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        Files.writeString(dir.resolve(service + ".properties"), settings.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n", "", "\n")));
    }

    private static int free() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
