package dev.aidetect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.DoublePredicate;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ModelRef;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageVerdict;
import dev.aidetect.schemas.Topics;
import dev.aidetect.testing.GrafanaDashboard;
import dev.aidetect.testing.Prerequisites;
import dev.aidetect.tools.dataset.LabelledImage;
import dev.aidetect.tools.stack.LocalStack;
import dev.aidetect.tools.stack.Port;
import dev.aidetect.tools.stack.StackService;
import dev.aidetect.tools.submit.Replayer;
import dev.aidetect.tools.submit.Submitter;
import dev.aidetect.tools.train.DemoModels;

/**
 * The Grafana dashboard on a live stack. The packaged services on a broker of their own (the kafka-local process: no
 * other test's traffic in the counts), Debian's {@code prometheus} scraping them every second with
 * {@code deploy/prometheus}'s local config moved to their ports, and traffic an operator would see: a replay run of
 * labelled images of every stand-in generator plus the broken files, two reloads of the detection head (one refused),
 * and three records that reach the router without a submission: a FAKE detection whose case then times out (no family,
 * no generator: the "none / none" the per-generator panels must not count), a detection verdict that is neither REAL nor
 * FAKE (rejected by the router itself) and a record on {@code images.embedded} that is not Avro (rejected by the
 * classifier). Then every panel query of {@code aidetect.json}, its variables expanded by {@link GrafanaDashboard}, must
 * return a series holding a number through Prometheus' HTTP API, and the per-generator panels must show exactly the
 * generators of the run's final verdicts, with their counts where the panel counts.
 */
class DashboardQueriesIT {
    private static final Path ROOT = Path.of(System.getProperty("aidetect.project.root", "..")).toAbsolutePath();
    private static final Path WORK = ROOT.resolve("end-to-end/target/dashboards-it");
    private static final Path DASHBOARD = ROOT.resolve("deploy/grafana/dashboards/aidetect.json");
    private static final Duration SCRAPE = Duration.ofSeconds(1);
    /** Short, so that the stray FAKE case times out within the test. */
    private static final Duration STAGE_TIMEOUT = Duration.ofSeconds(6);
    /** Images of every source (real and four generators): enough that each generator is attributed. */
    private static final int PER_SOURCE = 6;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyPanelQueryReturnsSeriesAndThePerGeneratorPanelsShowExactlyTheGeneratorsOfTheRun() throws Exception {
        Prerequisites.require(Files.isExecutable(LocalPrometheus.BINARY), "Debian's prometheus ("
                + LocalPrometheus.BINARY + ")", "apt-get install --no-install-recommends prometheus (.ci/run does)");
        long began = System.nanoTime();
        PrintWriter log = new PrintWriter(System.out, true);
        DemoModels models = DemoModels.prepare(ROOT, ROOT.resolve("end-to-end/target/e2e"), log);
        Path samples = DemoModels.writeSamples(WORK.resolve("samples"), PER_SOURCE, log);
        Map<StackService, Map<String, String>> env = models.serviceEnv(STAGE_TIMEOUT);
        int prometheusPort = Port.preferredOrFree(0);
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(ROOT, WORK.resolve("stack"), null, 0, 3, env),
                log);
                LocalPrometheus prometheus = LocalPrometheus.start(ROOT, WORK.resolve("prometheus"), prometheusPort,
                        Map.of(StackService.EMBEDDER.defaultPort(), stack.port(StackService.EMBEDDER),
                                StackService.CLASSIFIER.defaultPort(), stack.port(StackService.CLASSIFIER),
                                StackService.ROUTER.defaultPort(), stack.port(StackService.ROUTER),
                                LocalPrometheus.CONFIG_PORT, prometheusPort),
                        SCRAPE)) {
            log.printf("dashboards: stack and prometheus up after %d s%n", seconds(began));
            await().atMost(Duration.ofSeconds(60)).pollInterval(SCRAPE).untilAsserted(() -> assertThat(
                    number(prometheus, "sum(up{job=~\"embedder|classifier|router\"})")).as("targets up").isEqualTo(3));
            Map<String, List<FinalVerdict>> finals;
            List<String> runIds;
            Map<String, String> strays;
            Instant trafficBegan = Instant.now();
            String run = "dashboards-" + Long.toString(System.currentTimeMillis(), 36);
            try (Submitter verdicts = new Submitter(stack.bootstrapServers(), "dashboards-it")) {
                // given: the run in two halves, the stray records and the reloads. A counter series is born at its
                // first increment, and rate() cannot see what happened before its first sample: a warm pipeline
                // can finish every image of a source within one scrape, which leaves every rate 0 (observed). So
                // the second half, the same sources again, starts once Prometheus holds the first.
                runIds = new ArrayList<>(replay(stack, run, samples));
                awaitFinalsScraped(prometheus, runIds.size());
                runIds.addAll(replay(stack, run, copyRenamed(samples, WORK.resolve("samples-again"), "again-")));
                strays = sendStrays(stack, run);
                String familyHead = env.get(StackService.CLASSIFIER).get("AIDETECT_CLASSIFIER_FAMILY_HEAD");
                assertThat(reload(stack, "")).as("the serving head reloaded").isEqualTo(200);
                assertThat(reload(stack, familyHead)).as("a family head offered as detection head").isEqualTo(409);

                // when: every case has its final verdict, and Prometheus has scraped the last
                List<String> ids = new ArrayList<>(runIds);
                ids.addAll(strays.keySet());
                finals = verdicts.await(ids, Duration.ofMinutes(2), Duration.ofSeconds(2), v -> {
                });
                FinalVerdicts.assertExactlyOneEach(ids, finals);
            }
            assertStraysEndedAsMeant(strays, finals);
            log.printf("dashboards: %d final verdicts after %d s%n", finals.size(), seconds(began));
            awaitScraped(prometheus, finals.size());
            log.printf("dashboards: scraped, consumer lag series bound, after %d s%n", seconds(began));
            // The window starts a few scrapes before the traffic, so rates see the counters before it.
            Duration window = Duration.between(trafficBegan, Instant.now()).plus(SCRAPE.multipliedBy(5));

            // then: every panel query returns a series holding a number (NaN: no samples in the window, such as a
            // ratio of two rates that saw nothing), the dashboard as it opens (All sources, runs), over the traffic
            GrafanaDashboard dashboard = GrafanaDashboard.read(DASHBOARD);
            List<String> empty = new ArrayList<>();
            for (GrafanaDashboard.Query query : dashboard.queries()) {
                String promql = query.expand(window, dashboard.all());
                JsonNode result = prometheus.query(promql);
                if (!holds(result, Double::isFinite)) {
                    empty.add(query.panel() + " (" + query.refId() + "): " + promql + " -> " + result);
                }
            }
            assertThat(empty).as("panel queries of %d that return no series with a number",
                    dashboard.queries().size()).isEmpty();
            assertThat(prometheus.labelValues("run", "aidetect_router_finals_total")).contains(run, "none");
            assertThat(prometheus.labelValues("source", "aidetect_router_finals_total")).contains("replay:" + run);

            // and: the per-generator panels show exactly the run's generators, none of the timed-out FAKE case
            Map<String, Double> expected = fakesPerGenerator(runIds, finals);
            assertThat(expected).as("the run's fakes per generator").hasSizeGreaterThanOrEqualTo(2);
            Map<String, String> onlyTheRun = new HashMap<>(dashboard.all());
            onlyTheRun.put("run", GrafanaDashboard.anyOf(List.of(run)));
            assertThat(perGenerator(prometheus, dashboard, "Runs: fakes per generator", window, onlyTheRun))
                    .as("counts of the run").isEqualTo(expected);
            for (String panel : List.of("Fakes per generator", "Fakes per generator, in the time range")) {
                assertThat(perGenerator(prometheus, dashboard, panel, window, dashboard.all()).keySet()).as(panel)
                        .isEqualTo(expected.keySet());
            }
            log.printf("dashboards: %d panel queries returned series; run %s, fakes per generator %s; %d s in all%n",
                    dashboard.queries().size(), run, expected, seconds(began));
        }
    }

    /** Replays the samples as run {@code run} (source {@code replay:<run>}, attribute {@code run}); their ids. */
    private static List<String> replay(LocalStack stack, String run, Path samples) {
        try (Replayer replayer = new Replayer(stack.clientSettings(), run, false, Submitter.DEFAULT_IN_FLIGHT_BYTES)) {
            Replayer.Result result = replayer.fromDir(samples, n -> {
            });
            assertThat(result.refused()).as("images the broker refused").isEmpty();
        }
        return LabelledImage.collect(List.of(samples)).stream()
                .map(image -> Replayer.replayId(run, samples.relativize(image.file()).toString().replace('\\', '/')))
                .toList();
    }

    /** A copy of the sample tree whose file names start with {@code prefix}: the same labels under other ids. */
    private static Path copyRenamed(Path samples, Path to, String prefix) throws IOException {
        try (Stream<Path> files = Files.walk(samples)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path relative = samples.relativize(file);
                Path target = to.resolve(relative).resolveSibling(prefix + file.getFileName());
                Files.createDirectories(target.getParent());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return to;
    }

    /** Waits until Prometheus holds at least {@code finals} final verdicts. */
    private static void awaitFinalsScraped(LocalPrometheus prometheus, int finals) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(SCRAPE).untilAsserted(() -> assertThat(
                number(prometheus, "sum(aidetect_router_finals_total)")).as("finals of the first half")
                .isGreaterThanOrEqualTo(finals));
    }

    /**
     * Records that reach the router without a submission, as a foreign or misbehaving producer's do: id -> how its
     * case must end.
     */
    private static Map<String, String> sendStrays(LocalStack stack, String run) throws Exception {
        Map<String, String> strays = new TreeMap<>();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            var verdicts = Topics.DETECTION_VERDICTS.valueSerde().serializer();
            String fake = run + "-stray-fake";
            String maybe = run + "-stray-maybe";
            String notAvro = run + "-not-avro";
            producer.send(new ProducerRecord<>(Topics.DETECTION_VERDICTS.name(), fake,
                    verdicts.serialize(Topics.DETECTION_VERDICTS.name(), detection(fake, "FAKE")))).get();
            producer.send(new ProducerRecord<>(Topics.DETECTION_VERDICTS.name(), maybe,
                    verdicts.serialize(Topics.DETECTION_VERDICTS.name(), detection(maybe, "MAYBE")))).get();
            producer.send(new ProducerRecord<>(Topics.EMBEDDED.name(), notAvro,
                    "{\"vector\": \"this is JSON, not Avro\"}".getBytes(StandardCharsets.UTF_8))).get();
            strays.put(fake, "TIMED_OUT FAKE waiting for EMBEDDING");
            strays.put(maybe, "REJECTED by ROUTING OTHER");
            strays.put(notAvro, "REJECTED by DETECTION BAD_RECORD");
        }
        return strays;
    }

    private static StageVerdict detection(String imageId, String decision) {
        return StageVerdict.newBuilder().setImageId(imageId).setStage(Stage.DETECTION).setDecision(decision)
                .setScore(0.97).setThreshold(0.5).setModel(new ModelRef("stray-producer", "1"))
                .setDecidedAt(Instant.now()).build();
    }

    private static void assertStraysEndedAsMeant(Map<String, String> strays, Map<String, List<FinalVerdict>> finals) {
        strays.forEach((id, meant) -> {
            FinalVerdict verdict = finals.get(id).getFirst();
            String ended = verdict.getStatus() == FinalStatus.TIMED_OUT
                    ? "TIMED_OUT " + verdict.getAuthenticity() + " waiting for " + verdict.getWaitingFor()
                    : verdict.getStatus() + " by " + verdict.getRejection().getStage() + " "
                            + verdict.getRejection().getReason();
            assertThat(ended).as("%s: %s", id, verdict).isEqualTo(meant);
        });
        assertThat(strays).containsValues("REJECTED by ROUTING " + RejectReason.OTHER,
                "TIMED_OUT " + Authenticity.FAKE + " waiting for " + Stage.EMBEDDING);
    }

    /** {@code POST /models/detection-head/reload[?path=]} on the classifier, with the run's admin token; the status. */
    private int reload(LocalStack stack, String path) throws IOException, InterruptedException {
        URI uri = URI.create("http://localhost:" + stack.port(StackService.CLASSIFIER)
                + "/models/detection-head/reload" + (path.isEmpty()
                        ? ""
                        : "?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8)));
        return http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + stack.adminToken())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** "family / generator" -> images of the run decided FAKE with them, from the final verdicts. */
    private static Map<String, Double> fakesPerGenerator(List<String> runIds, Map<String, List<FinalVerdict>> finals) {
        Map<String, Double> counts = new TreeMap<>();
        for (String id : runIds) {
            FinalVerdict verdict = finals.get(id).getFirst();
            if (verdict.getStatus() == FinalStatus.DECIDED && verdict.getAuthenticity() == Authenticity.FAKE) {
                counts.merge(verdict.getFamily() + " / " + verdict.getGenerator(), 1.0, Double::sum);
            }
        }
        return counts;
    }

    /** The panel's first query, expanded and evaluated now: "family / generator" -> its value. */
    private static Map<String, Double> perGenerator(LocalPrometheus prometheus, GrafanaDashboard dashboard,
            String panel, Duration window, Map<String, String> variables) throws IOException, InterruptedException {
        Map<String, Double> values = new TreeMap<>();
        for (JsonNode series : prometheus.query(dashboard.panel(panel).getFirst().expand(window, variables))) {
            JsonNode labels = series.path("metric");
            values.put(labels.path("family").asText() + " / " + labels.path("generator").asText(),
                    value(series));
        }
        return values;
    }

    private static boolean holds(JsonNode result, DoublePredicate wanted) {
        for (JsonNode series : result) {
            if (wanted.test(value(series))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Waits until Prometheus has scraped every final verdict, both reloads and the services' consumer lag: Micrometer
     * binds a Kafka client's per-partition figures when it next looks for new ones (every 60 s), so they appear up to a
     * minute after the consumers got their partitions.
     */
    private static void awaitScraped(LocalPrometheus prometheus, int finals) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(SCRAPE).untilAsserted(() -> {
            assertThat(number(prometheus, "sum(aidetect_router_finals_total)")).as("finals").isEqualTo(finals);
            assertThat(number(prometheus, "sum(aidetect_classifier_reloads_total)")).as("reloads").isEqualTo(2);
            assertThat(number(prometheus, "count(count by (job) (kafka_consumer_fetch_manager_records_lag))"))
                    .as("services with consumer lag series").isEqualTo(3);
        });
    }

    private static double number(LocalPrometheus prometheus, String promql) throws IOException, InterruptedException {
        JsonNode result = prometheus.query(promql);
        return result.isEmpty() ? Double.NaN : value(result.get(0));
    }

    /** An instant query's sample value: Prometheus writes numbers as strings, infinities as +Inf and -Inf. */
    private static double value(JsonNode series) {
        String value = series.path("value").get(1).asText();
        return switch (value) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(value);
        };
    }

    private static long seconds(long since) {
        return (System.nanoTime() - since) / 1_000_000_000L;
    }
}
