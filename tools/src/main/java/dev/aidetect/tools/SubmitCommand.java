package dev.aidetect.tools;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.tools.submit.LabelledImage;
import dev.aidetect.tools.submit.Submitter;
import dev.aidetect.tools.submit.VerdictReport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "submit", mixinStandardHelpOptions = true, description = "Send image files to a running pipeline and print their final verdicts. "
        + "Labels come from folder names (real/, fake/<family>/<generator>/). Exit code 0 only if every "
        + "image got exactly one final verdict.")
final class SubmitCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", description = "Image files or folders.")
    List<Path> paths;

    @Option(names = "--bootstrap-servers", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}", description = "Kafka cluster (default: KAFKA_BOOTSTRAP_SERVERS or ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--timeout", defaultValue = "PT2M", description = "How long to wait for all final verdicts, ISO-8601 (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--source", defaultValue = "aidetect-submit", description = "Source recorded on each submission.")
    String source;

    @Override
    public Integer call() {
        List<LabelledImage> images = LabelledImage.collect(paths);
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no files found under " + paths);
        }
        return submitAndReport(bootstrapServers, source, images, timeout) ? 0 : 1;
    }

    /** Submits, prints a row per final verdict as it arrives and the summary; true if the invariant held. */
    static boolean submitAndReport(String bootstrapServers, String source, List<LabelledImage> images,
            Duration timeout) {
        VerdictReport report = new VerdictReport(System.out);
        try (Submitter submitter = new Submitter(bootstrapServers, source)) {
            var sent = submitter.submit(images);
            System.err.printf("  submitted %d images to %s, waiting for final verdicts...%n", sent.size(),
                    bootstrapServers);
            report.header();
            Map<String, List<FinalVerdict>> verdicts = submitter.await(sent.keySet(), timeout, Duration.ofSeconds(3),
                    report::row);
            return report.summary(verdicts);
        }
    }
}
