package dev.aidetect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import dev.aidetect.common.MoreFiles;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.Topics;
import dev.aidetect.tools.dataset.LabelledImage;
import dev.aidetect.tools.stack.LocalStack;
import dev.aidetect.tools.stack.StackService;
import dev.aidetect.tools.submit.Submitter;
import dev.aidetect.tools.train.DemoModels;

/**
 * The packaged services against a broker that comes and goes (the local broker as its own process, on its own data):
 * started before the broker, they wait for it and then work; a killed and restarted embedder takes its partitions
 * back within seconds (static membership); running services ride out the broker gone for 60 s without a restart, and
 * the images submitted before and during the outage get their verdicts after it; with the broker gone, each exits
 * within its shutdown deadline of SIGTERM.
 * The tests run in order on one stack (starting it costs a minute); each prints its figures.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaOutageIT {
    private static final Path ROOT = Path.of(System.getProperty("aidetect.project.root", "..")).toAbsolutePath();
    private static final Path WORK = ROOT.resolve("end-to-end/target/kafka-outage-it");
    /** How long the broker stays away after the services started. */
    private static final Duration BROKER_LATE = Duration.ofSeconds(20);
    /** The services' default aidetect.shutdown.deadline (pipeline-topics' ShutdownConfig). */
    private static final Duration SHUTDOWN_DEADLINE = Duration.ofSeconds(30);
    /** A JVM's own exit after the deadline's halt, and the time to see it. */
    private static final Duration EXIT_MARGIN = Duration.ofSeconds(5);
    /** A broker's start, log recovery after a SIGKILL included, on a busy machine. */
    private static final Duration BROKER_READY = Duration.ofSeconds(180);
    /** How long the broker is gone while the services run. */
    private static final Duration OUTAGE = Duration.ofSeconds(60);
    /** Longer than the outage and the recovery after it: a case must not time out for the broker's absence. */
    private static final Duration STAGE_TIMEOUT = Duration.ofMinutes(3);
    /** From a restarted embedder's readiness to the embedding of an image submitted then. */
    private static final Duration RESTARTED_EMBEDDER_BOUND = Duration.ofSeconds(10);

    private final PrintWriter log = new PrintWriter(System.out, true);
    private BrokerProcess broker;
    private LocalStack stack;
    private List<LabelledImage> images;

    @BeforeAll
    void prepare() throws Exception {
        MoreFiles.deleteRecursively(WORK);
        DemoModels.prepare(ROOT, ROOT.resolve("end-to-end/target/e2e"), log);
        // Labelled images only: the samples' broken files end REJECTED, which says nothing about an outage.
        images = LabelledImage.collect(List.of(DemoModels.writeSamples(WORK.resolve("samples"), 2, log))).stream()
                .filter(image -> image.label() != null).toList();
        broker = new BrokerProcess(free(), free(), WORK.resolve("kafka"), WORK.resolve("logs/kafka.log"));
    }

    @AfterAll
    void stopAll() {
        if (stack != null) {
            stack.close();
        }
        broker.kill();
    }

    @Test
    @Order(1)
    void servicesStartedBeforeTheBrokerWaitForItThenBecomeReadyAndJudgeImages() throws Exception {
        // given the three services started while nothing listens on the broker's port
        DemoModels models = DemoModels.prepare(ROOT, ROOT.resolve("end-to-end/target/e2e"), log);
        CompletableFuture<LocalStack> starting = CompletableFuture.supplyAsync(() -> LocalStack.start(
                new LocalStack.Settings(ROOT, WORK.resolve("stack"), broker.bootstrapServers(), 0, 3,
                        models.serviceEnv(STAGE_TIMEOUT)),
                log));
        Instant started = Instant.now();
        Path logs = WORK.resolve("stack/logs");
        for (StackService service : StackService.values()) {
            // A JVM start and model loading come first: seconds to a minute on a busy machine.
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(logs.resolve(service.module() + ".log"))
                            .as(service.module() + " says what it waits for")
                            .content().contains("Waiting for Kafka at " + broker.bootstrapServers()));
        }
        Duration left = BROKER_LATE.minus(Duration.between(started, Instant.now()));
        Thread.sleep(Math.max(0, left.toMillis()));
        assertThat(starting).as("no service is ready (nor exits) while the broker is away").isNotDone();

        // when the broker starts, 20 s late
        Instant brokerUp = broker.start();
        stack = starting.get(3, TimeUnit.MINUTES);
        Duration toReady = Duration.between(brokerUp, Instant.now());

        // then every service became ready without a restart, and images get their final verdicts
        List<LabelledImage> sample = images.subList(0, 4);
        Map<String, List<FinalVerdict>> verdicts;
        try (Submitter submitter = new Submitter(stack.bootstrapServers(), "outage-test")) {
            Submitter.Submission submission = submitter.submit(sample);
            assertThat(submission.refused()).isEmpty();
            verdicts = submitter.await(submission.sent().keySet(), Duration.ofMinutes(2), Duration.ofSeconds(3),
                    v -> {
                    });
        }
        System.out.printf("late broker: the services waited %d s for it; all ready %d ms after it was up%n",
                Duration.between(started, brokerUp).toSeconds(), toReady.toMillis());
        assertThat(stack.exited()).as("services that exited").isEmpty();
        FinalVerdicts.assertExactlyOneEach(verdicts.keySet(), verdicts);
        assertThat(verdicts.values()).allSatisfy(
                finals -> assertThat(finals.getFirst().getStatus()).isEqualTo(FinalStatus.DECIDED));
    }

    @Test
    @Order(2)
    void killedAndRestartedEmbedderEmbedsWithinSecondsOfBeingReady() throws Exception {
        try (KafkaConsumer<String, ImageEmbedding> embedded = embeddingsFromNow();
                Submitter submitter = new Submitter(stack.bootstrapServers(), "outage-test")) {
            // given an embedder killed (SIGKILL) and started again on the same port and instance id
            Instant killed = Instant.now();
            stack.crashAndRestart(StackService.EMBEDDER);
            Instant ready = Instant.now();

            // when an image is submitted as soon as it is ready
            LabelledImage image = images.get(5);
            String id = submitter.submit(List.of(image)).sent().keySet().iterator().next();

            // then its embedding comes within seconds: the restarted member took its partitions back at once
            Instant embeddedAt = awaitEmbedding(embedded, id, Duration.ofSeconds(60));
            Duration afterReady = Duration.between(ready, embeddedAt);
            System.out.printf("embedder SIGKILL and restart: ready %d ms after the kill, first new embedding %d ms"
                    + " after ready (%d ms after the kill)%n", Duration.between(killed, ready).toMillis(),
                    afterReady.toMillis(), Duration.between(killed, embeddedAt).toMillis());
            assertThat(afterReady).isLessThan(RESTARTED_EMBEDDER_BOUND);
        }
    }

    @Test
    @Order(3)
    void runningServicesRideOutTheBrokerGoneForAMinuteAndJudgeWhatWasSubmittedMeanwhile() throws Exception {
        try (Submitter submitter = new Submitter(stack.bootstrapServers(), "outage-test");
                ExecutorService sender = Executors.newSingleThreadExecutor()) {
            // given an image submitted to the running pipeline, then the broker killed (SIGKILL)
            String before = submitter.submit(List.of(images.get(6))).sent().keySet().iterator().next();
            Instant submittedBefore = Instant.now();
            broker.kill();
            Instant killed = Instant.now();

            // when another image is submitted while it is away, and the broker is back after a minute
            Future<Submitter.Submission> during = sender.submit(() -> submitter.submit(List.of(images.get(7))));
            Thread.sleep(Math.max(0, OUTAGE.minus(Duration.between(killed, Instant.now())).toMillis()));
            assertThat(stack.exited()).as("services that exited while the broker was away").isEmpty();
            Instant brokerUp = broker.start();
            Submitter.Submission duringOutage = during.get(2, TimeUnit.MINUTES);
            if (!duringOutage.refused().isEmpty()) {
                // The submitting client gave up within the outage (its producer waits max.block.ms for the broker);
                // what a user does then: submit it again once the broker is back.
                System.out.printf("submission during the outage refused by the client: %s; submitted again%n",
                        duringOutage.refused().getFirst().reason());
                duringOutage = submitter.submit(List.of(images.get(7)));
            }
            String duringId = duringOutage.sent().keySet().iterator().next();

            // then both get exactly one decided verdict, from the same service processes
            Map<String, Instant> arrived = new ConcurrentHashMap<>();
            Map<String, List<FinalVerdict>> verdicts = submitter.await(List.of(before, duringId),
                    Duration.ofMinutes(3), Duration.ofSeconds(3), v -> arrived.putIfAbsent(v.getImageId(),
                            Instant.now()));
            System.out.printf("broker gone %d s under running services: back %d ms after the kill; verdict of the"
                    + " image submitted before the outage %d ms after the broker was up (%d ms after submission),"
                    + " of the one submitted during it %d ms after the broker was up%n",
                    OUTAGE.toSeconds(), Duration.between(killed, brokerUp).toMillis(),
                    millisBetween(brokerUp, arrived.get(before)), millisBetween(submittedBefore,
                            arrived.get(before)),
                    millisBetween(brokerUp, arrived.get(duringId)));
            assertThat(stack.exited()).as("services that exited").isEmpty();
            FinalVerdicts.assertExactlyOneEach(List.of(before, duringId), verdicts);
            assertThat(verdicts.values()).allSatisfy(
                    finals -> assertThat(finals.getFirst().getStatus()).isEqualTo(FinalStatus.DECIDED));
            // A Kafka channel that failed turns liveness DOWN (SmallRye's check) while the process stays up.
            for (StackService service : StackService.values()) {
                assertThat(liveness(service)).as(service.module() + " /q/health/live after the outage")
                        .startsWith("200 ");
                // Waiting out the outage is not an error: no failed channel, no blocked-thread stack traces.
                assertThat(Files.readString(WORK.resolve("stack/logs/" + service.module() + ".log")))
                        .as(service.module() + "'s log over the outage").doesNotContain("SRMSG00201")
                        .doesNotContain("has been blocked for");
            }
        }
    }

    /** The status code and body of the service's /q/health/live. */
    private String liveness(StackService service) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + stack.port(service) + "/q/health/live"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.body();
        }
    }

    private static long millisBetween(Instant from, Instant to) {
        return to == null ? -1 : Duration.between(from, to).toMillis();
    }

    @Test
    @Order(4)
    void everyServiceExitsWithinItsShutdownDeadlineOfSigtermWhenTheBrokerIsGone() throws Exception {
        // given the running services and a broker that is gone (killed, as a crash)
        broker.kill();

        // when each service gets SIGTERM
        Map<StackService, CompletableFuture<ProcessHandle>> exits = new EnumMap<>(StackService.class);
        Instant signalled = Instant.now();
        for (StackService service : StackService.values()) {
            ProcessHandle process = ProcessHandle.of(stack.pid(service)).orElseThrow();
            exits.put(service, process.onExit());
            process.destroy();
        }

        // then each exits within its deadline
        Map<StackService, Duration> took = new EnumMap<>(StackService.class);
        for (var exit : exits.entrySet()) {
            try {
                exit.getValue().get(SHUTDOWN_DEADLINE.plus(EXIT_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
                took.put(exit.getKey(), Duration.between(signalled, Instant.now()));
            } catch (java.util.concurrent.TimeoutException e) {
                took.put(exit.getKey(), null);
            }
        }
        System.out.printf("SIGTERM with the broker gone: exit after %s (deadline %d s)%n", took,
                SHUTDOWN_DEADLINE.toSeconds());
        assertThat(took).as("time from SIGTERM to exit, null: still running after the deadline and margin")
                .doesNotContainValue(null);
    }

    private KafkaConsumer<String, ImageEmbedding> embeddingsFromNow() {
        KafkaConsumer<String, ImageEmbedding> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                Topics.EMBEDDED.keySerde().deserializer(), Topics.EMBEDDED.valueSerde().deserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(Topics.EMBEDDED.name())
                .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    private static Instant awaitEmbedding(KafkaConsumer<String, ImageEmbedding> consumer, String id,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (var record : consumer.poll(Duration.ofMillis(100))) {
                if (id.equals(record.key())) {
                    return Instant.now();
                }
            }
        }
        throw new AssertionError("no embedding of " + id + " within " + timeout.toSeconds() + " s of the restart");
    }

    private static int free() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The local broker as its own process (kafka-local's jar), on data that outlives it, started when told. */
    private static final class BrokerProcess {
        private final int port;
        private final int controllerPort;
        private final Path dir;
        private final Path log;
        private Process process;

        BrokerProcess(int port, int controllerPort, Path dir, Path log) {
            this.port = port;
            this.controllerPort = controllerPort;
            this.dir = dir;
            this.log = log;
        }

        String bootstrapServers() {
            return "localhost:" + port;
        }

        /** Starts it and waits for its ready line; returns when it was ready. */
        Instant start() throws IOException, InterruptedException {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m", "-jar",
                    jar().toString(), "--port", String.valueOf(port), "--controller-port",
                    String.valueOf(controllerPort), "--dir", dir.toString(), "--partitions", "3")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + BROKER_READY.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the broker exited with " + process.exitValue() + "; see " + log);
                }
                if (Files.readString(log).contains("kafka ready at")) {
                    return Instant.now();
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException(
                    "the broker was not ready within " + BROKER_READY.toSeconds() + " s; see " + log);
        }

        /** Kills it at once (SIGKILL), as a crash would. */
        void kill() {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private static Path jar() throws IOException {
            try (Stream<Path> files = Files.list(ROOT.resolve("kafka-local/target"))) {
                return files.filter(p -> p.getFileName().toString().matches("kafka-local-[^-]+(-SNAPSHOT)?\\.jar"))
                        .findFirst().orElseThrow(() -> new IllegalStateException(
                                "kafka-local is not packaged: run ./mvnw -pl kafka-local -am -DskipTests install"));
            }
        }
    }
}
