package dev.aidetect.tools.operate;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.aidetect.schemas.kafka.KafkaClientSettings;
import dev.aidetect.tools.cli.OwnBrokerOrClusterOption;
import dev.aidetect.tools.dataset.LabelledImage;
import dev.aidetect.tools.stack.DetectionOptions;
import dev.aidetect.tools.stack.LocalStack;
import dev.aidetect.tools.stack.Port;
import dev.aidetect.tools.stack.StackService;
import dev.aidetect.tools.train.DemoModels;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true, description = "Start a broker and the three services as separate processes, submit sample images (real, "
        + "generated and broken), print one row per final verdict and a summary, and stop everything. "
        + "Exit code 0 only if every image got exactly one final verdict.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--work-dir", defaultValue = ".aidetect/demo", description = "Samples, models, logs and broker data (default ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--per-source", defaultValue = "6", description = "Sample images per source: real and each of 4 generators (default ${DEFAULT-VALUE}).")
    int perSource;

    @Mixin
    OwnBrokerOrClusterOption kafka;

    @Mixin
    DetectionOptions detection;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Port of the broker the demo starts (default "
            + "${DEFAULT-VALUE}, or a free one when that is taken; a port given here must be free).")
    int kafkaPort;

    @Option(names = "--partitions", defaultValue = "3", description = "Partitions per pipeline topic.")
    int partitions;

    @Option(names = "--timeout", defaultValue = "PT2M", description = "Wait for verdicts at most this long.")
    Duration timeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        KafkaClientSettings cluster = kafka.reachableOrNull();
        if (cluster == null && spec.commandLine().getParseResult().hasMatchedOption("--kafka-port")) {
            Port.requireFree(kafkaPort, "--kafka-port");
            Port.requireFree(kafkaPort + 1, "--kafka-port (the broker's controller listens on the next port)");
        }
        long start = System.nanoTime();
        PrintWriter err = spec.commandLine().getErr();
        err.println("[1/4] preparing sample images and models in " + workDir);
        Map<String, String> detectionEnv = detection.classifierEnv();
        DemoModels models = DemoModels.prepare(root, workDir, err);
        Path samples = DemoModels.writeSamples(workDir.resolve("samples"), perSource, err);

        err.println("[2/4] starting kafka and the three services");
        LocalStack.Settings settings = new LocalStack.Settings(root, workDir,
                cluster == null ? null : cluster.bootstrapServers(), kafkaPort, partitions,
                serviceEnv(models, detectionEnv), Map.of(), kafka.configFileOrNull());
        try (LocalStack stack = LocalStack.start(settings, err)) {
            err.println("[3/4] submitting " + samples);
            List<LabelledImage> images = LabelledImage.collect(List.of(samples));
            boolean held = SubmitCommand.submitAndReport(stack.clientSettings(), "aidetect-demo", images, timeout,
                    spec.commandLine().getOut(), err);
            err.printf("[4/4] stopping (demo took %d s)%n", (System.nanoTime() - start) / 1_000_000_000L);
            return held ? 0 : 1;
        }
    }

    /** The demo's models, with the real/fake call on what --detection-input / --detection-network say. */
    private static Map<StackService, Map<String, String>> serviceEnv(DemoModels models,
            Map<String, String> detectionEnv) {
        Map<StackService, Map<String, String>> env = new EnumMap<>(models.serviceEnv(Duration.ofSeconds(30)));
        Map<String, String> classifier = new HashMap<>(env.get(StackService.CLASSIFIER));
        classifier.putAll(detectionEnv);
        env.put(StackService.CLASSIFIER, classifier);
        return env;
    }
}
