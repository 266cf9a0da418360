package dev.aidetect.tools.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.aidetect.imaging.encoder.EncoderPrecision;
import dev.aidetect.schemas.Topics;
import dev.aidetect.tools.stack.LocalStack;
import dev.aidetect.tools.stack.OwnStackOptions;
import dev.aidetect.tools.stack.StackService;
import dev.aidetect.tools.train.DemoModels;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "pipeline", mixinStandardHelpOptions = true, description = {
        "Measure the whole pipeline on a real local broker: the three packaged services with the demo's models, fed a "
                + "steady stream of phone-size photos (3-12 MP JPEGs) and small images, half of them fakes of both "
                + "families. Prints the sustained images/s after a warm-up, p50/p99 latency from submission to "
                + "final verdict, and each process's CPU time and peak memory; then runs every stage alone on a "
                + "fresh broker holding the pipeline run's input for it, to find the bottleneck. Takes minutes; the "
                + "last line is 'pipeline: R img/s, bottleneck STAGE S img/s, pipeline/bottleneck X, p99 L ms' "
                + "(target X >= 0.8 on a 2-core machine)."})
public final class PipelineBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--images", defaultValue = "300", description = "Images timed after the warm-up (default "
            + "${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--warm-up", defaultValue = "120", description = "Images sent first whose finals are not timed, "
            + "so the services' JIT and batching settle: four JVMs keep compiling for about a minute after they start, "
            + "on the same two cores (default ${DEFAULT-VALUE}).")
    int warmUp;

    @Option(names = "--duration", description = "Longest timed window (e.g. PT2M): sending stops when it ends, even "
            + "before --images are sent (default: time every image).")
    Duration duration;

    @Option(names = "--phone-share", defaultValue = "0.5", description = "Share of phone-size photos among the "
            + "images, 0 to 1; the rest are 224 px images (default ${DEFAULT-VALUE}).")
    double phoneShare;

    @Option(names = "--phone-sizes", split = ",", defaultValue = "3,5,8,12", description = "Sizes of the phone photos "
            + "in megapixels (4:3 JPEGs; default ${DEFAULT-VALUE}).")
    List<Integer> phoneSizes;

    @Option(names = "--uri-share", defaultValue = "0", description = "Share of each kind of image submitted by uri "
            + "from a local HTTP server instead of inline, 0 to 1 (default ${DEFAULT-VALUE}).")
    double uriShare;

    @Option(names = "--in-flight", defaultValue = "32", description = "Most images sent and still without a final "
            + "verdict at any time: enough to keep every stage busy; latency grows with it (default "
            + "${DEFAULT-VALUE}).")
    int inFlight;

    @Option(names = "--stages", split = ",", defaultValue = "embedder,classifier,router", description = "Stages to "
            + "run alone after the pipeline run, or 'none' (default ${DEFAULT-VALUE}).")
    List<String> stages;

    @Option(names = "--draft-decode", description = "Let the embedder decode large JPEGs at 1/2-1/8 of their size "
            + "(aidetect.embedder.draft-decode): phone photos cost a sixth of the CPU.")
    boolean draftDecode;

    @Option(names = "--stage-timeout", defaultValue = "PT5M", description = "The router's stage timeout: long, so a "
            + "queue in front of a slow stage is measured, not cut off (default ${DEFAULT-VALUE}).")
    Duration stageTimeout;

    @Option(names = "--timeout", defaultValue = "PT20M", description = "Longest wait for each run's last result "
            + "(default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--encoder", defaultValue = "tiny", description = "The embedder's encoder: tiny (the demo's "
            + "stand-in, about 1 ms an image: decoding is then all the embedder does), vit-b-32 or vit-l-14 (random "
            + "weights of the real architecture and cost, written by deploy/models/make_encoder.py with Debian's "
            + "torch on first use; the demo's heads are then trained on its vectors) (default ${DEFAULT-VALUE}).")
    String encoder;

    @Mixin
    OwnStackOptions ownStack;

    @Option(names = "--work-dir", defaultValue = ".aidetect/bench-pipeline", description = "Images, broker data and "
            + "logs of every run (default ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--json", description = "Also write the figures to this file as JSON.")
    Path json;

    @Override
    public Integer call() throws IOException {
        List<PipelineStage> alone = validate();
        PrintWriter err = spec.commandLine().getErr();
        // The launcher runs from the repository root; tests say where it is.
        Path root = Path.of(System.getProperty("aidetect.project.root", "")).toAbsolutePath();
        err.println("[models and images] " + ownStack.modelsFrom() + " and " + workDir.resolve("images"));
        DemoModels models = encoder.equals("tiny")
                ? DemoModels.prepare(root, ownStack.modelsFrom(), err)
                : DemoModels.prepareFor(BenchModels.ensure(root, workDir, encoder, EncoderPrecision.FLOAT32, err),
                        workDir.resolve("demo-models-" + encoder), err);
        PipelineImages.Sets sets = PipelineImages.ensure(workDir.resolve("images"), phoneSizes, err);
        err.println("  " + PipelineImages.describe(sets));
        List<Submissions.Submission> plan = Submissions.plan(sets, warmUp + images, phoneShare, uriShare,
                "bench-" + Long.toString(System.currentTimeMillis(), 36));
        try (ImageStore store = uriShare > 0 ? ImageStore.serve(sets) : null) {
            StageBench.Setup setup = new StageBench.Setup(root, workDir, ownStack.kafkaPort(),
                    ownStack.partitions(), serviceEnv(models));
            PipelineRun run = runPipeline(setup, plan, store, !alone.isEmpty(), err);
            List<StageBench.Result> results = new ArrayList<>();
            for (PipelineStage stage : alone) {
                try {
                    results.add(StageBench.run(stage, setup, run.recording(), run.outcome().sent(), store, warmUp,
                            timeout, err));
                } catch (RuntimeException e) {
                    err.println("  " + stage.label() + " alone failed: " + e.getMessage());
                    results.add(StageBench.Result.failed(stage, String.valueOf(e.getMessage()).lines().findFirst()
                            .orElse(e.toString())));
                }
            }
            PipelineReport report = new PipelineReport(run.outcome(), results, settings());
            report.print(spec.commandLine().getOut());
            if (json != null) {
                report.writeJson(json);
                err.println("figures written to " + json);
            }
            return 0;
        }
    }

    /** What the pipeline run measured, and what it wrote (null when no stage runs alone). */
    private record PipelineRun(PipelineFeed.Outcome outcome, TopicRecording recording) {
    }

    /** The broker and the three services fed the plan; then every pipeline topic read back for the stage runs. */
    private PipelineRun runPipeline(StageBench.Setup setup, List<Submissions.Submission> plan, ImageStore store,
            boolean record, PrintWriter err) {
        err.printf(Locale.ROOT, "[pipeline] a broker and the three services; %d warm-up + %d timed images (%.0f%% "
                + "phone-size, %.0f%% by uri), at most %d in flight%n", warmUp, images, 100 * phoneShare,
                100 * uriShare, inFlight);
        try (LocalStack stack = LocalStack.start(setup.settings("pipeline", null), err)) {
            Map<String, Long> pids = new LinkedHashMap<>();
            for (PipelineStage stage : PipelineStage.values()) {
                pids.put(stage.label(), stack.pid(stage.service()));
            }
            stack.brokerPid().ifPresent(pid -> pids.put("kafka", pid));
            pids.put("bench client", ProcessHandle.current().pid());
            PipelineFeed.Outcome outcome = PipelineFeed.run(stack.bootstrapServers(), plan, warmUp, inFlight,
                    duration, timeout, store, new ProcessFigures(pids), err);
            err.printf(Locale.ROOT, "  pipeline: %.2f img/s over %.1f s; %s%n", outcome.window().rate(),
                    outcome.window().seconds(), outcome.idle());
            List<String> topics = Topics.all().stream().map(t -> t.name())
                    .filter(name -> !name.equals(Topics.INGEST.name())).toList();
            return new PipelineRun(outcome, record
                    ? TopicRecording.read(stack.bootstrapServers(), topics, timeout)
                    : null);
        }
    }

    /** The stages to run alone, after checking every option a run would otherwise trip over late. */
    private List<PipelineStage> validate() {
        if (images < 1 || warmUp < 0) {
            throw new ParameterException(spec.commandLine(), "--images must be at least 1 and --warm-up at least 0");
        }
        if (phoneShare < 0 || phoneShare > 1 || uriShare < 0 || uriShare > 1) {
            throw new ParameterException(spec.commandLine(), "--phone-share and --uri-share are shares: 0 to 1");
        }
        if (inFlight < 1) {
            throw new ParameterException(spec.commandLine(), "--in-flight must be at least 1");
        }
        if (phoneSizes.isEmpty() || phoneSizes.stream().anyMatch(mp -> mp < 1 || mp > 40)) {
            throw new ParameterException(spec.commandLine(), "--phone-sizes are megapixels from 1 to 40 (the "
                    + "embedder refuses more than 40 million pixels)");
        }
        if (!List.of("tiny", "vit-b-32", "vit-l-14").contains(encoder)) {
            throw new ParameterException(spec.commandLine(), "unknown --encoder '" + encoder + "': use tiny, vit-b-32 "
                    + "or vit-l-14");
        }
        ownStack.validate(spec, true);
        List<PipelineStage> alone = new ArrayList<>();
        for (String name : stages) {
            if (name.equals("none")) {
                continue;
            }
            try {
                alone.add(PipelineStage.valueOf(name.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "unknown stage '" + name + "' in --stages: use "
                        + "embedder, classifier, router or none");
            }
        }
        return alone;
    }

    /** The demo's environment, with the stage timeout, draft decoding and the local image store allowed. */
    private Map<StackService, Map<String, String>> serviceEnv(DemoModels models) {
        Map<StackService, Map<String, String>> env = new EnumMap<>(StackService.class);
        models.serviceEnv(stageTimeout).forEach((service, vars) -> env.put(service, new HashMap<>(vars)));
        if (draftDecode) {
            env.get(StackService.EMBEDDER).put("AIDETECT_EMBEDDER_DRAFT_DECODE", "true");
        }
        if (uriShare > 0) {
            env.get(StackService.EMBEDDER).putAll(ImageStore.serviceEnv("AIDETECT_EMBEDDER"));
            env.get(StackService.CLASSIFIER).putAll(ImageStore.serviceEnv("AIDETECT_CLASSIFIER"));
        }
        return env;
    }

    private Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("images", images);
        settings.put("warmUp", warmUp);
        settings.put("duration", duration == null ? null : duration.toString());
        settings.put("phoneShare", phoneShare);
        settings.put("phoneSizesMp", phoneSizes);
        settings.put("uriShare", uriShare);
        settings.put("inFlight", inFlight);
        settings.put("partitions", ownStack.partitions());
        settings.put("draftDecode", draftDecode);
        settings.put("encoder", encoder);
        settings.put("processors", Runtime.getRuntime().availableProcessors());
        return settings;
    }
}
