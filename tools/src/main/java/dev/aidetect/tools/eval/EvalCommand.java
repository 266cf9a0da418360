package dev.aidetect.tools.eval;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

import dev.aidetect.schemas.kafka.KafkaClientSettings;
import dev.aidetect.tools.cli.ExitCodes;
import dev.aidetect.tools.cli.OwnBrokerOrClusterOption;
import dev.aidetect.tools.stack.LocalStack;
import dev.aidetect.tools.stack.ModelOptions;
import dev.aidetect.tools.stack.StackService;
import dev.aidetect.tools.submit.Replayer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate the pipeline on labelled images: "
        + "run them through it as a run of their own (fresh image ids), collect every final and stage verdict, and "
        + "report per data set, family and generator: accuracy at the served threshold (real, fake), AP, ROC AUC, "
        + "best-threshold accuracy, ECE with a reliability table, confusion matrices, the unknown and UNCERTAIN "
        + "rates, rejections, throughput and latency, robustness sweeps. Writes <out>/report.html (the charts, one "
        + "self-contained page), eval.json, groups.csv, scores.csv (and sweeps.csv). Streams "
        + "through a running pipeline (--bootstrap-servers) or a stack it starts itself; --offline runs the same "
        + "models in process; the real/fake call of a stack it starts (or --offline) is the committed real-data "
        + "detector deploy/models/cifake-detector unless a detection option says otherwise. Exit code 0 when every image got exactly one final verdict.", subcommands = {
                EvalAttributionCommand.class, EvalFamilyCommand.class})
public final class EvalCommand implements Callable<Integer> {
    private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", paramLabel = "DIR", description = "A labelled folder (repeatable): real/ and "
            + "fake/<family>/<generator>/, or a CNNDetection / UniversalFakeDetect test set "
            + "(<generator>/[<class>/]0_real|1_fake). A dataset.properties there may name it (name=), the family and "
            + "generator of a flat fake/ (fake.family=, fake.generator=) and a generator's family (family.<gen>=).")
    List<Path> datasets = new ArrayList<>();

    @Option(names = "--from-topic", paramLabel = "TOPIC", description = "Instead of folders: a topic of labelled "
            + "ImageSubmitted records on --bootstrap-servers (such as a recorded images.ingest), read from its start.")
    String topic;

    @Option(names = "--offline", description = "Run the same models in this process, without Kafka: the embedder's "
            + "embedding engine, the classifier's heads and networks, the router's rules.")
    boolean offline;

    @Option(names = "--fake-family", paramLabel = "NAME", description = "Family of the fakes whose folders name none "
            + "(a flat fake/, as CIFAKE's: diffusion).")
    String fakeFamily;

    @Option(names = "--fake-generator", paramLabel = "NAME", description = "Generator of the fakes whose folders name "
            + "none (CIFAKE's: sd-1.4).")
    String fakeGenerator;

    @Option(names = "--limit", paramLabel = "N", description = "At most N images, taken in turn from each data set, "
            + "real/fake and generator (so 200 of a balanced set are 100 real and 100 fake).")
    Integer limit;

    @Option(names = "--run", paramLabel = "ID", description = "The run id, the prefix of every image id (default: "
            + "eval-<UTC time>-<random>). Letters, digits, '.', '_', '-'; a run id is used once: the pipeline gives "
            + "an image id only one final verdict.")
    String run;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the report goes (default .aidetect/eval/<run>).")
    Path outDir;

    @Option(names = "--in-flight", defaultValue = "32", paramLabel = "N", description = "Most images sent and still "
            + "without a final verdict (default ${DEFAULT-VALUE}), so none waits in a queue until it times out.")
    int inFlight;

    @Option(names = "--timeout", defaultValue = "PT2M", description = "Stop waiting when no final verdict came for "
            + "this long, ISO-8601 (default ${DEFAULT-VALUE}); the report says what was missing.")
    Duration timeout;

    @Option(names = "--sweep", paramLabel = "KIND=V1,V2,...", description = "A robustness sweep (repeatable): "
            + "after the run, one more run per value with every image transformed before it is submitted; accuracy "
            + "and AP per point go into the report. jpeg=100,90,75,50,30 (re-encode at that quality), blur=0,1,2,3 "
            + "(Gaussian sigma in pixels), scale=1,0.75,0.5 (resize by that factor). Folders only, not --from-topic.")
    List<String> sweepOptions = new ArrayList<>();

    @Option(names = "--map-points", defaultValue = ""
            + EmbeddingSample.DEFAULT_LIMIT, paramLabel = "N", description = "Most encoder vectors the report's embedding map (t-SNE) draws, an equal share per "
                    + "generator (default ${DEFAULT-VALUE}; 0: no map).")
    int mapPoints;

    @Option(names = "--baseline", paramLabel = "EVAL_JSON", description = "An earlier eval's eval.json (or its "
            + "folder) on the same images: the report then puts this run against it (accuracy, AP and AUC overall "
            + "and per sweep point, accuracy per generator, with the differences; its robustness curves dashed), "
            + "and eval.json and baseline.csv carry its figures and the differences.")
    Path baselinePath;

    private final List<SweepPoint> sweepPoints = new ArrayList<>();
    private Baseline baseline;

    @Mixin
    OwnBrokerOrClusterOption kafka;

    @Mixin
    ModelOptions models;

    @Option(names = "--work-dir", defaultValue = ".aidetect/eval-stack", description = "The stack eval starts when "
            + "no cluster is given: broker data, router state, logs (default ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Port of the broker of that stack (default "
            + "${DEFAULT-VALUE}, or a free one when taken).")
    int kafkaPort;

    @Option(names = "--stage-timeout", defaultValue = "PT60S", paramLabel = "DURATION", description = "How long the "
            + "router of that stack waits for one stage before a case ends TIMED_OUT, ISO-8601 (default "
            + "${DEFAULT-VALUE}; longer on a loaded machine, where a fresh stack's first verdicts are slow).")
    Duration stageTimeout;

    @Override
    public Integer call() throws Exception {
        validate();
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        Path root = Path.of(System.getProperty("aidetect.project.root", "")).toAbsolutePath();
        Instant started = Instant.now();
        String runId = run != null
                ? run
                : "eval-" + RUN_TIME.format(started) + "-"
                        + HexFormat.of().formatHex(new byte[]{(byte) ThreadLocalRandom.current().nextInt()});
        Path report = outDir != null ? outDir : Path.of(".aidetect/eval", runId);
        // Offline, a cluster is only where a topic comes from.
        KafkaClientSettings cluster = offline && topic == null ? null : kafka.reachableOrNull();
        if (topic != null && cluster == null) {
            throw new ParameterException(spec.commandLine(), "--from-topic " + topic + " needs --bootstrap-servers "
                    + "(or KAFKA_BOOTSTRAP_SERVERS): the cluster that holds the topic");
        }

        if (offline || cluster == null) {
            models.detectWithShippedNetworkByDefault(root, err);
        }
        err.println("[1/4] reading " + (topic != null ? "topic " + topic : datasets));
        List<EvalRun.Input> inputs = new ArrayList<>();
        List<EvalImage> images = topic == null ? readDatasets(inputs, err) : List.of();
        if (baseline != null && topic == null) {
            // Before the run, so a baseline of other data costs nothing (and an image the run cannot evaluate does
            // not count as other data); a topic's images are known only after it.
            requireSameData(images.stream().map(i -> new ScoredImage(i.originalId(), i.originalId(), i.label(), null,
                    Map.of())).toList());
            err.printf("  baseline: run %s, %s%n", baseline.run(), baseline.source());
        }

        EvalRun evaluation;
        List<ScoredImage> scored;
        EmbeddingSample sample = mapPoints > 0 ? new EmbeddingSample(mapPoints) : null;
        List<SweepResult> sweeps = new ArrayList<>();
        if (offline) {
            err.println("[2/4] models (in this process)");
            Map<StackService, Map<String, String>> env = models.serviceEnv(root, err);
            try (OfflinePipeline pipeline = OfflinePipeline.load(env)) {
                err.printf("[3/4] evaluating offline as run %s%n", runId);
                OfflineRun runner = new OfflineRun(pipeline, runId, err);
                if (sample != null) {
                    pipeline.onEmbedding(sample::offer);
                }
                OfflineRun.Outcome outcome = topic != null
                        ? runner.topic(cluster, topic)
                        : runner.files(images, bytes -> bytes);
                pipeline.onEmbedding(embedding -> {
                });
                addTopicInput(inputs, outcome.images().size() + outcome.unlabelled());
                scored = outcome.images();
                evaluation = new EvalRun(runId, "offline", started, null, pipeline.models(), inputs,
                        outcome.refused(), null, Map.of(), outcome.unlabelled(), outcome.seconds());
                sweep(runId, err, sweeps, (pointRun, point) -> {
                    OfflineRun.Outcome o = new OfflineRun(pipeline, pointRun, err).files(images, point::apply);
                    return new SweepResult(point, pointRun, EvalMetrics.groups(o.images()), o.refused(), null,
                            o.seconds());
                });
            }
        } else if (cluster != null) {
            if (!models.given().isEmpty()) {
                err.println("  note: evaluating the pipeline that runs on " + cluster.bootstrapServers() + " with "
                        + "its own models; the model options apply to --offline and to a stack eval starts");
            }
            err.printf("[2/4] the pipeline on %s%n", cluster.bootstrapServers());
            StreamingRun.Outcome outcome = stream(cluster, runId, images, sample, err);
            scored = outcome.images();
            evaluation = streamed(runId, started, cluster, inputs, outcome);
            sweep(runId, err, sweeps, (pointRun, point) -> streamPoint(cluster, pointRun, point, images, err));
        } else {
            err.println("[2/4] no --bootstrap-servers: starting kafka and the three services (give "
                    + "--bootstrap-servers localhost:9092 to evaluate the stack ./aidetect up runs)");
            Map<StackService, Map<String, String>> env = new EnumMap<>(models.serviceEnv(root, err));
            env.put(StackService.ROUTER, Map.of("AIDETECT_ROUTER_STAGE_TIMEOUT", stageTimeout.toString()));
            try (LocalStack stack = LocalStack.start(new LocalStack.Settings(root, workDir, null, kafkaPort, 3, env),
                    err)) {
                StreamingRun.Outcome outcome = stream(stack.clientSettings(), runId, images, sample, err);
                scored = outcome.images();
                evaluation = streamed(runId, started, stack.clientSettings(), inputs, outcome);
                sweep(runId, err, sweeps, (pointRun, point) -> streamPoint(stack.clientSettings(), pointRun, point,
                        images, err));
            }
        }

        err.println("[4/4] report in " + report);
        EmbeddingMap map = null;
        if (sample != null) {
            List<EmbeddingSample.Vector> vectors = sample.sample();
            if (vectors.size() < EmbeddingMap.MIN_POINTS) {
                err.printf("  note: no embedding map: %d vectors collected, t-SNE needs at least %d%n",
                        vectors.size(), EmbeddingMap.MIN_POINTS);
            } else {
                err.printf("  embedding map: t-SNE of %d vectors%n", vectors.size());
                long t0 = System.nanoTime();
                map = EmbeddingMap.of(vectors);
                err.printf(Locale.ROOT, "  embedding map done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            }
        }
        if (baseline != null && topic != null) {
            requireSameData(scored);
        }
        EvalReport written = new EvalReport(evaluation, scored, sweeps, map, baseline);
        written.write(report);
        written.print(out);
        evaluation.refused().forEach(line -> err.println("  not evaluated: " + line));
        if (evaluation.missing() != null) {
            err.println("  " + evaluation.missing());
        }
        if (!evaluation.secondFinals().isEmpty()) {
            err.println("  " + evaluation.secondFinals().size() + " images got more than one final verdict: "
                    + evaluation.secondFinals().keySet().stream().limit(5).toList());
        }
        out.println(written.summaryLine(report));
        sweeps.stream().filter(s -> s.missing() != null || !s.refused().isEmpty()).forEach(s -> err.println("  sweep "
                + s.point().label() + ": " + s.refused().size() + " not evaluated"
                + (s.missing() == null ? "" : "; " + s.missing())));
        boolean held = evaluation.missing() == null && evaluation.refused().isEmpty()
                && evaluation.secondFinals().isEmpty()
                && sweeps.stream().allMatch(s -> s.missing() == null && s.refused().isEmpty());
        return held ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private void validate() {
        if (datasets.isEmpty() == (topic == null)) {
            throw new ParameterException(spec.commandLine(), "give --dataset DIR (one or more) or --from-topic TOPIC");
        }
        if (run != null && !Replayer.RUN_ID.matcher(run).matches()) {
            throw new ParameterException(spec.commandLine(), "--run '" + run + "' may hold only letters, digits, "
                    + "'.', '_' and '-' (at most 64 characters): it becomes part of every image id");
        }
        if (limit != null && limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1");
        }
        if (limit != null && topic != null) {
            throw new ParameterException(spec.commandLine(), "--limit applies to --dataset folders; a topic is "
                    + "replayed whole");
        }
        if (inFlight < 1) {
            throw new ParameterException(spec.commandLine(), "--in-flight must be at least 1");
        }
        if (stageTimeout.isNegative() || stageTimeout.isZero()) {
            throw new ParameterException(spec.commandLine(), "--stage-timeout must be a positive duration, e.g. PT2M");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new ParameterException(spec.commandLine(), "--timeout must be a positive duration, e.g. PT2M");
        }
        if (mapPoints < 0) {
            throw new ParameterException(spec.commandLine(), "--map-points must be 0 (no map) or more");
        }
        sweepPoints.clear();
        for (String option : sweepOptions) {
            try {
                sweepPoints.addAll(SweepPoint.parse(option));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        if (baselinePath != null) {
            try {
                baseline = Baseline.read(baselinePath);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        if (!sweepPoints.isEmpty() && topic != null) {
            throw new ParameterException(spec.commandLine(), "--sweep transforms image files, so it needs --dataset "
                    + "folders; a topic's records are replayed as they are");
        }
    }

    private void requireSameData(List<ScoredImage> images) {
        try {
            baseline.requireSameData(EvalMetrics.groups(images));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private List<EvalImage> readDatasets(List<EvalRun.Input> inputs, PrintWriter err) {
        List<EvalImage> images = new ArrayList<>();
        for (Path dir : datasets) {
            EvalInputs.Folder folder = EvalInputs.read(dir, fakeFamily, fakeGenerator);
            folder.notes().forEach(note -> err.println("  note: " + note));
            err.printf("  %s: %d images, layout %s, data sets %s%n", dir, folder.images().size(), folder.layout(),
                    folder.datasets());
            inputs.add(new EvalRun.Input(dir.toString(), folder.layout(), folder.datasets(), folder.images().size(),
                    folder.notes()));
            images.addAll(folder.images());
        }
        if (images.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "no labelled images in " + datasets);
        }
        if (limit != null && limit < images.size()) {
            images = EvalImage.balanced(images, limit);
            err.printf("  --limit %d: %d of them, taken in turn from each data set, real/fake and generator%n", limit,
                    images.size());
        }
        return images;
    }

    private StreamingRun.Outcome stream(KafkaClientSettings cluster, String runId, List<EvalImage> images,
            EmbeddingSample sample, PrintWriter err) {
        err.printf("[3/4] evaluating as run %s (at most %d images in flight)%n", runId, inFlight);
        StreamingRun streaming = new StreamingRun(cluster, runId, inFlight, timeout, sample, err);
        return topic != null ? streaming.topic(topic) : streaming.files(images, bytes -> bytes);
    }

    private SweepResult streamPoint(KafkaClientSettings cluster, String pointRun, SweepPoint point,
            List<EvalImage> images, PrintWriter err) {
        StreamingRun.Outcome o = new StreamingRun(cluster, pointRun, inFlight, timeout, null, err).files(images,
                point::apply);
        return new SweepResult(point, pointRun, EvalMetrics.groups(o.images()), o.refused(), o.missing(),
                o.seconds());
    }

    private interface PointRun {
        SweepResult run(String pointRun, SweepPoint point);
    }

    /** Runs every sweep point as a run of its own ({@code <run>-<kind><value>}), with a line per point. */
    private void sweep(String runId, PrintWriter err, List<SweepResult> results, PointRun point) {
        for (int i = 0; i < sweepPoints.size(); i++) {
            SweepPoint p = sweepPoints.get(i);
            String pointRun = runId + "-" + p.runSuffix();
            if (!Replayer.RUN_ID.matcher(pointRun).matches()) {
                throw new ParameterException(spec.commandLine(), "the sweep's run id '" + pointRun + "' is too long "
                        + "or not allowed as an id; give a shorter --run");
            }
            err.printf("  sweep %d/%d: %s as run %s%n", i + 1, sweepPoints.size(), p.label(), pointRun);
            SweepResult result = point.run(pointRun, p);
            EvalMetrics.Group all = result.all();
            err.printf(Locale.ROOT, "  sweep %s: %d images, acc=%.4f, ap=%.4f, auc=%.4f%n", p.label(), all.images(),
                    all.accuracy(), all.averagePrecision(), all.auc());
            results.add(result);
        }
    }

    private EvalRun streamed(String runId, Instant started, KafkaClientSettings cluster, List<EvalRun.Input> inputs,
            StreamingRun.Outcome outcome) {
        addTopicInput(inputs, outcome.images().size() + outcome.unlabelled());
        return new EvalRun(runId, "streaming", started, cluster.bootstrapServers(), Map.of(), inputs,
                outcome.refused(), outcome.missing(), outcome.secondFinals(), outcome.unlabelled(),
                outcome.seconds());
    }

    private void addTopicInput(List<EvalRun.Input> inputs, int records) {
        if (topic != null) {
            inputs.add(new EvalRun.Input("topic " + topic, "ImageSubmitted records with labels", List.of(), records,
                    List.of()));
        }
    }
}
