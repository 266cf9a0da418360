package dev.aidetect.tools.operate;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.KafkaClientSettings;
import dev.aidetect.tools.cli.ExitCodes;
import dev.aidetect.tools.cli.KafkaClusterOption;
import dev.aidetect.tools.cli.Progress;
import dev.aidetect.tools.dataset.LabelledImage;
import dev.aidetect.tools.submit.Replayer;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "replay", mixinStandardHelpOptions = true, description = "Re-publish labelled images to "
        + "images.ingest as a new run: ImageSubmitted records of a topic, or a folder in the label layout (real/, "
        + "fake/<family>/<generator>/). Each gets a fresh image id derived from the run id and its original id (the "
        + "same replay twice gives the same ids), attributes run=ID and original-image-id, and the source replay:ID. "
        + "Exit code 0 when the broker took every record.")
public final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    /** Where the records come from: exactly one of the two. */
    static final class Input {
        @Option(names = "--from-topic", paramLabel = "TOPIC", description = "A topic of ImageSubmitted records (such as a recorded, labelled images.ingest), read from its start to its end now.")
        String topic;

        @Option(names = "--from-dir", paramLabel = "DIR", description = "A folder in the label layout, searched recursively.")
        Path dir;
    }

    @Option(names = "--run", required = true, paramLabel = "ID", description = "The run id: letters, digits, '.', '_', '-' (at most 64).")
    String run;

    @Option(names = "--keep-source", description = "Keep each topic record's source instead of replay:ID.")
    boolean keepSource;

    @Option(names = "--max-in-flight-mb", defaultValue = "64", paramLabel = "MB", description = "Most megabytes of images waiting for the broker at once (default ${DEFAULT-VALUE}).")
    int maxInFlightMb;

    @Mixin
    KafkaClusterOption kafka;

    @Override
    public Integer call() {
        if (!Replayer.RUN_ID.matcher(run).matches()) {
            throw new ParameterException(spec.commandLine(), "--run '" + run + "' may hold only letters, digits, "
                    + "'.', '_' and '-' (at most 64 characters): it becomes part of every image id");
        }
        if (maxInFlightMb < 1 || maxInFlightMb > 1024) {
            throw new ParameterException(spec.commandLine(), "--max-in-flight-mb must be between 1 and 1024");
        }
        if (input.dir != null && !Files.isDirectory(input.dir)) {
            throw new ParameterException(spec.commandLine(), "--from-dir " + input.dir + " is not a folder");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        KafkaClientSettings cluster = kafka.reachable();
        String from = input.topic != null ? "topic " + input.topic : input.dir.toString();
        Replayer.Result result;
        try (Replayer replayer = new Replayer(cluster, run, keepSource, maxInFlightMb << 20)) {
            err.printf("  replaying %s to %s on %s as run %s%n", from, Topics.INGEST.name(), cluster.bootstrapServers(),
                    run);
            if (input.topic != null) {
                result = replayer.fromTopic(cluster, input.topic, total -> Progress.counter("replaying", total, err));
            } else {
                int total = LabelledImage.collect(java.util.List.of(input.dir)).size();
                result = replayer.fromDir(input.dir, Progress.counter("replaying", total, err));
            }
        }
        result.refused().forEach(line -> err.println("  not replayed: " + line));
        out.printf("replayed %d images from %s as run %s (ids %s-..., source %s)%s%s%n", result.published(), from, run,
                run, keepSource ? "kept" : "replay:" + run,
                result.unlabelled() > 0 ? "; " + result.unlabelled() + " unlabelled" : "",
                result.skipped() > 0 ? "; skipped " + result.skipped() + " records that are not ImageSubmitted" : "");
        if (!result.refused().isEmpty()) {
            out.printf("%d image(s) not replayed (reasons above)%n", result.refused().size());
            return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }
}
