package dev.aidetect.tools.operate;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.tools.cli.CommandFailure;
import dev.aidetect.tools.cli.KafkaClusterOption;
import dev.aidetect.tools.dataset.LabelledImage;
import dev.aidetect.tools.submit.Submitter;
import dev.aidetect.tools.submit.VerdictReport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "submit", mixinStandardHelpOptions = true, description = "Send image files to a running pipeline and print their final verdicts. "
        + "Labels come from folder names (real/, fake/<family>/<generator>/). Exit code 0 only if every "
        + "image was taken by the broker and got exactly one final verdict.")
public final class SubmitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", description = "Image files or folders.")
    List<Path> paths;

    @Mixin
    KafkaClusterOption kafka;

    @Option(names = "--timeout", defaultValue = "PT2M", description = "How long to wait for all final verdicts, ISO-8601 (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--source", defaultValue = "aidetect-submit", description = "Source recorded on each submission.")
    String source;

    @Override
    public Integer call() {
        List<LabelledImage> images = LabelledImage.collect(paths);
        if (images.isEmpty()) {
            throw new CommandFailure("no files found under " + paths + ": give image files or folders that hold some");
        }
        return submitAndReport(kafka.reachable(), source, images, timeout, spec.commandLine().getOut(),
                spec.commandLine().getErr()) ? 0 : 1;
    }

    /** Submits, prints a row per final verdict as it arrives and the summary; true if the invariant held. */
    static boolean submitAndReport(String bootstrapServers, String source, List<LabelledImage> images,
            Duration timeout, PrintWriter out, PrintWriter err) {
        VerdictReport report = new VerdictReport(out);
        try (Submitter submitter = new Submitter(bootstrapServers, source)) {
            Submitter.Submission submission = submitter.submit(images);
            submission.refused().forEach(refusal -> err.printf("  not submitted: %s: %s%n",
                    refusal.image().file(), refusal.reason()));
            err.printf("  submitted %d images to %s, waiting for final verdicts...%n",
                    submission.sent().size(), bootstrapServers);
            report.header();
            Map<String, List<FinalVerdict>> verdicts = submitter.await(submission.sent().keySet(), timeout,
                    Duration.ofSeconds(3), report::row);
            boolean held = report.summary(verdicts);
            if (!submission.refused().isEmpty()) {
                out.printf("%d image(s) not submitted: the broker refused them (reasons above)%n",
                        submission.refused().size());
            }
            return held && submission.refused().isEmpty();
        }
    }
}
