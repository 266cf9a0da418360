package dev.aidetect.tools.chaos;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.aidetect.tools.cli.ExitCodes;
import dev.aidetect.tools.stack.LocalStack;
import dev.aidetect.tools.stack.OwnStackOptions;
import dev.aidetect.tools.train.DemoModels;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "chaos", mixinStandardHelpOptions = true, description = {
        "Kill the pipeline's parts while images flow, and check the invariant. Starts the local broker as its own "
                + "process and the three packaged services with the demo's models, submits --images (CIFAKE's small "
                + "images cycled with fresh ids, and a share of 12 MP phone photos), and meanwhile SIGKILLs and "
                + "restarts the embedder, the classifier, the router and the broker at seeded random moments (at "
                + "least one of each; two of each from 8 kills). Then reads verdicts.final read_committed: exactly "
                + "one final verdict per image, none lost, none twice, none TIMED_OUT (the stage timeout is longer "
                + "than any recovery, so a time-out is a lost request). Prints progress, then a table: kills per "
                + "component, each kill's recovery (to ready, to the component's next output), images/s before, "
                + "during and after the kills. Exit code 1 when the invariant does not hold."})
public final class ChaosCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--images", defaultValue = "10000", description = "Images to submit (default ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--kills", defaultValue = "12", description = "Kills in all, at least 4 (default "
            + "${DEFAULT-VALUE}).")
    int kills;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of what is killed when (default "
            + "${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--small-images", defaultValue = "../shared/data/cifake-dev", description = "Folder of labelled "
            + "small images (real/, fake/), cycled (default ${DEFAULT-VALUE}).")
    Path smallImages;

    @Option(names = "--phone-share", defaultValue = "0.01", description = "Share of 12 MP phone photos among the "
            + "images, 0 to 1 (default ${DEFAULT-VALUE}).")
    double phoneShare;

    @Option(names = "--in-flight", defaultValue = "128", description = "Most images sent and still without a final "
            + "verdict at a time (default ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(names = "--stage-timeout", defaultValue = "PT10M", description = "The router's stage timeout: longer "
            + "than any recovery (default ${DEFAULT-VALUE}).")
    Duration stageTimeout;

    @Option(names = "--timeout", defaultValue = "PT40M", description = "Longest the run may take before the images "
            + "still without a final verdict count as lost (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    OwnStackOptions ownStack;

    @Option(names = "--work-dir", defaultValue = ".aidetect/chaos", description = "Broker data, router state, logs "
            + "(the killed processes' as <name>-killed.log) and the phone photos (default ${DEFAULT-VALUE}).")
    Path workDir;

    @Override
    public Integer call() throws IOException {
        ChaosPlan plan = validate();
        PrintWriter err = spec.commandLine().getErr();
        Path root = Path.of(System.getProperty("aidetect.project.root", "")).toAbsolutePath();
        err.println("[models and images] " + ownStack.modelsFrom() + ", " + smallImages);
        DemoModels models = DemoModels.prepare(root, ownStack.modelsFrom(), err);
        ChaosImages chaosImages = ChaosImages.load(root.resolve(smallImages), workDir.resolve("phone"),
                phoneShare > 0);
        err.printf("  %d small images, %d phone photos%s%n", chaosImages.small().size(), chaosImages.phone().size(),
                phoneShare > 0 && chaosImages.phone().isEmpty()
                        ? " (no source photos: install python3-skimage for them)"
                        : "");
        err.printf(Locale.ROOT, "[stack] the local broker and the three services (stage timeout %s)%n", stageTimeout);
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(root, workDir.resolve("stack"), null,
                ownStack.kafkaPort(), ownStack.partitions(), models.serviceEnv(stageTimeout)), err)) {
            err.printf("[chaos] %d images, %d kills (seed %d), at most %d in flight%n", images, kills, seed, inFlight);
            String runId = "chaos-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            ChaosOutcome outcome = ChaosRun.run(stack,
                    new ChaosRun.Settings(plan, chaosImages, phoneShare, inFlight, timeout, runId), err);
            outcome.print(spec.commandLine().getOut());
            if (!outcome.holds()) {
                err.println("the invariant does not hold: see the services' logs in " + workDir.resolve("stack/logs"));
                return ExitCodes.FAILURE;
            }
            return ExitCodes.OK;
        }
    }

    private ChaosPlan validate() {
        if (phoneShare < 0 || phoneShare > 1) {
            throw new ParameterException(spec.commandLine(), "--phone-share is a share: 0 to 1");
        }
        if (inFlight < 1) {
            throw new ParameterException(spec.commandLine(), "--in-flight must be at least 1");
        }
        ownStack.validate(spec, true);
        try {
            return ChaosPlan.of(images, kills, inFlight, seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
