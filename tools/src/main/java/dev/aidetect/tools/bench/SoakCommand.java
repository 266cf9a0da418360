package dev.aidetect.tools.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import dev.aidetect.tools.cli.KafkaClusterOption;
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

@Command(name = "soak", mixinStandardHelpOptions = true, description = {
        "Run the pipeline at a steady 80% of its capacity for a long time and judge whether it holds: consumer lag "
                + "bounded, every service's memory (RSS) flat after the warm-up, p99 latency stable, every image "
                + "exactly one final verdict. Starts the packaged services on a broker of its own (as bench pipeline "
                + "does), or uses a running pipeline (--running); measures the capacity as bench pipeline does "
                + "(or takes --rate), then submits at --load of it. Prints a progress line every 10 s, a table per "
                + "--interval, PASS or FAIL per check, and exits 1 when a check fails."})
public final class SoakCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--minutes", defaultValue = "30", description = "How long to submit, in minutes (default "
            + "${DEFAULT-VALUE}).")
    double minutes;

    @Option(names = "--interval", defaultValue = "5", description = "Minutes per interval: a row of the tables "
            + "each (default ${DEFAULT-VALUE}).")
    double intervalMinutes;

    @Option(names = "--warm-up-intervals", defaultValue = "1", description = "Intervals at the start that are printed "
            + "but not judged; memory at the end of the last one is the baseline (default ${DEFAULT-VALUE}). At "
            + "least two intervals must remain.")
    int warmUpIntervals;

    @Option(names = "--rss-tolerance", defaultValue = "10", paramLabel = "PERCENT", description = "How far from its "
            + "value at the end of the warm-up a service's RSS may go in the judged intervals (default "
            + "${DEFAULT-VALUE}).")
    double rssTolerance;

    @Option(names = "--rate", paramLabel = "IMG/S", description = "The pipeline's capacity in images/s: skip "
            + "measuring it (default: measured first, as bench pipeline measures it).")
    Double capacity;

    @Option(names = "--load", defaultValue = "0.8", description = "Share of the capacity to submit at (default "
            + "${DEFAULT-VALUE}).")
    double load;

    @Option(names = "--capacity-images", defaultValue = "300", description = "Images the capacity measurement times "
            + "after its warm-up (default ${DEFAULT-VALUE}).")
    int capacityImages;

    @Option(names = "--capacity-warm-up", defaultValue = "120", description = "Images sent before the capacity "
            + "measurement's timed window (default ${DEFAULT-VALUE}).")
    int capacityWarmUp;

    @Option(names = "--in-flight", defaultValue = "32", description = "Most images in flight while the capacity is "
            + "measured (default ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(names = "--phone-share", defaultValue = "0.5", description = "Share of phone-size photos, 0 to 1; the "
            + "rest are 224 px images (default ${DEFAULT-VALUE}).")
    double phoneShare;

    @Option(names = "--phone-sizes", split = ",", defaultValue = "3,5,8,12", description = "Sizes of the phone "
            + "photos in megapixels (default ${DEFAULT-VALUE}).")
    List<Integer> phoneSizes;

    @Option(names = "--drain-timeout", defaultValue = "PT3M", description = "Longest wait after the last interval "
            + "for the finals still missing (default ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    @Option(names = "--running", description = "Use the pipeline already running on --bootstrap-servers (./aidetect "
            + "up, or any) instead of starting one; its services' memory is read where they run on this machine.")
    boolean running;

    @Mixin
    KafkaClusterOption kafka;

    @Option(names = "--embedder-url", defaultValue = "http://localhost:8081", description = "With --running: the "
            + "embedder's HTTP address (default ${DEFAULT-VALUE}).")
    URI embedderUrl;

    @Option(names = "--classifier-url", defaultValue = "http://localhost:8082", description = "With --running: the "
            + "classifier's HTTP address (default ${DEFAULT-VALUE}).")
    URI classifierUrl;

    @Option(names = "--router-url", defaultValue = "http://localhost:8083", description = "With --running: the "
            + "router's HTTP address (default ${DEFAULT-VALUE}).")
    URI routerUrl;

    @Option(names = "--stage-timeout", defaultValue = "PT5M", description = "The router's stage timeout in the "
            + "pipeline it starts (default ${DEFAULT-VALUE}).")
    Duration stageTimeout;

    @Mixin
    OwnStackOptions ownStack;

    @Option(names = "--work-dir", defaultValue = ".aidetect/soak", description = "Images, broker data and logs "
            + "(default ${DEFAULT-VALUE}).")
    Path workDir;

    @Override
    public Integer call() throws IOException {
        SoakFeed.Settings settings = validate();
        PrintWriter err = spec.commandLine().getErr();
        Path root = Path.of(System.getProperty("aidetect.project.root", "")).toAbsolutePath();
        if (running) {
            String bootstrap = kafka.reachable().bootstrapServers();
            Map<String, URI> urls = new LinkedHashMap<>();
            urls.put("embedder", embedderUrl);
            urls.put("classifier", classifierUrl);
            urls.put("router", routerUrl);
            Map<String, Long> pids = new LinkedHashMap<>();
            urls.forEach((name, url) -> {
                OptionalLong pid = isLocal(url) ? ListeningProcess.pidOf(url.getPort()) : OptionalLong.empty();
                pid.ifPresentOrElse(p -> pids.put(name, p), () -> err.println("  note: the " + name + " at " + url
                        + " is not a process of this user on this machine: its memory is not read"));
            });
            return soak(bootstrap, pids, urls, List::of, settings, err);
        }
        err.println("[models] " + ownStack.modelsFrom());
        DemoModels models = DemoModels.prepare(root, ownStack.modelsFrom(), err);
        Map<StackService, Map<String, String>> env = new EnumMap<>(StackService.class);
        models.serviceEnv(stageTimeout).forEach(env::put);
        err.println("[pipeline] a broker and the three services");
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(root, workDir.resolve("pipeline"), null,
                ownStack.kafkaPort(), ownStack.partitions(), env), err)) {
            Map<String, Long> pids = new LinkedHashMap<>();
            Map<String, URI> urls = new LinkedHashMap<>();
            for (PipelineStage stage : PipelineStage.values()) {
                pids.put(stage.label(), stack.pid(stage.service()));
                urls.put(stage.label(), URI.create("http://localhost:" + stack.port(stage.service())));
            }
            return soak(stack.bootstrapServers(), pids, urls, stack::exited, settings, err);
        }
    }

    private int soak(String bootstrap, Map<String, Long> pids, Map<String, URI> urls, Supplier<List<String>> exited,
            SoakFeed.Settings partial, PrintWriter err) {
        PipelineImages.Sets sets = PipelineImages.ensure(workDir.resolve("images"), phoneSizes, err);
        err.println("[images] " + PipelineImages.describe(sets));
        String run = "soak-" + Long.toString(System.currentTimeMillis(), 36);
        double measured = capacity != null ? capacity : measureCapacity(bootstrap, sets, pids, run, err);
        SoakFeed.Settings settings = new SoakFeed.Settings(load * measured, partial.length(), partial.interval(),
                partial.warmUpIntervals(), partial.drainTimeout());
        int count = (int) Math.ceil(settings.rate() * settings.length().toNanos() / 1e9);
        err.printf(Locale.ROOT, "[soak] %d images at %.2f img/s (%.0f%% of %.2f img/s %s) for %s, %d intervals of "
                + "%s, the first %d warm-up%n", count, settings.rate(), 100 * load, measured,
                capacity != null ? "given" : "measured", SoakFeed.clock(settings.length().toNanos()),
                settings.intervals(), SoakFeed.clock(settings.interval().toNanos()), settings.warmUpIntervals());
        List<Submissions.Submission> plan = Submissions.plan(sets, count, phoneShare, 0, run);
        SoakFeed.Outcome outcome;
        try (PipelineGauges gauges = new PipelineGauges(bootstrap, pids, urls)) {
            outcome = SoakFeed.run(bootstrap, plan, settings, gauges, exited, err);
        }
        List<SoakChecks.Check> checks = SoakChecks.judge(outcome.intervals(), outcome.finals(), rssTolerance);
        String summary = String.format(Locale.ROOT, "%d images at %.2f img/s (%.0f%% of %.2f), %d intervals of %s",
                count, settings.rate(), 100 * load, measured, outcome.intervals().size(),
                SoakFeed.clock(settings.interval().toNanos()));
        return SoakReport.print(spec.commandLine().getOut(), outcome, checks, summary) ? 0 : 1;
    }

    /** Capacity as bench pipeline measures it: finals per second after a warm-up, a bounded number in flight. */
    private double measureCapacity(String bootstrap, PipelineImages.Sets sets, Map<String, Long> pids, String run,
            PrintWriter err) {
        err.printf("[capacity] %d warm-up + %d timed images, at most %d in flight%n", capacityWarmUp,
                capacityImages, inFlight);
        List<Submissions.Submission> plan = Submissions.plan(sets, capacityWarmUp + capacityImages, phoneShare, 0,
                run + "-capacity");
        PipelineFeed.Outcome outcome = PipelineFeed.run(bootstrap, plan, capacityWarmUp, inFlight, null,
                Duration.ofMinutes(20), null, new ProcessFigures(pids), err);
        double rate = outcome.window().rate();
        err.printf(Locale.ROOT, "  capacity: %.2f img/s over %.1f s, p99 %.0f ms%n", rate, outcome.window().seconds(),
                PipelineReport.nearestRank(outcome.latenciesMs(), 99));
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalStateException("the capacity measurement gave " + rate + " img/s: give more "
                    + "--capacity-images, or --rate");
        }
        return rate;
    }

    private SoakFeed.Settings validate() {
        if (!(minutes > 0) || !(intervalMinutes > 0)) {
            throw new ParameterException(spec.commandLine(), "--minutes and --interval must be positive");
        }
        Duration length = Duration.ofMillis(Math.round(minutes * 60_000));
        Duration interval = Duration.ofMillis(Math.round(intervalMinutes * 60_000));
        SoakFeed.Settings settings = new SoakFeed.Settings(1, length, interval, warmUpIntervals, drainTimeout);
        if (warmUpIntervals < 1 || settings.intervals() - warmUpIntervals < 2) {
            throw new ParameterException(spec.commandLine(), String.format(Locale.ROOT, "--minutes %s in intervals of "
                    + "%s make %d intervals: at least one warm-up interval (--warm-up-intervals) and two more to "
                    + "judge are needed", minutes, intervalMinutes, settings.intervals()));
        }
        if (capacity != null && !(capacity > 0)) {
            throw new ParameterException(spec.commandLine(), "--rate must be positive (images per second)");
        }
        if (!(rssTolerance > 0)) {
            throw new ParameterException(spec.commandLine(), "--rss-tolerance is a percentage above 0");
        }
        if (!(load > 0) || load > 1) {
            throw new ParameterException(spec.commandLine(), "--load is a share of the capacity: above 0, at most 1");
        }
        if (capacityImages < 1 || capacityWarmUp < 0 || inFlight < 1) {
            throw new ParameterException(spec.commandLine(), "--capacity-images and --in-flight must "
                    + "be at least 1, --capacity-warm-up at least 0");
        }
        if (phoneShare < 0 || phoneShare > 1) {
            throw new ParameterException(spec.commandLine(), "--phone-share is a share: 0 to 1");
        }
        if (phoneSizes.isEmpty() || phoneSizes.stream().anyMatch(mp -> mp < 1 || mp > 40)) {
            throw new ParameterException(spec.commandLine(), "--phone-sizes are megapixels from 1 to 40");
        }
        if (kafka.configFileOrNull() != null) {
            throw new ParameterException(spec.commandLine(), "soak's own clients speak plaintext Kafka: "
                    + KafkaClusterOption.CONFIG_OPTION + " is not supported; run it against a plaintext listener");
        }
        ownStack.validate(spec, !running);
        return settings;
    }

    private static boolean isLocal(URI url) {
        return List.of("localhost", "127.0.0.1", "[::1]").contains(url.getHost());
    }
}
