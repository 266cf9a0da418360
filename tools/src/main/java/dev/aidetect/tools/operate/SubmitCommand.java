package dev.aidetect.tools.operate;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.kafka.KafkaClientSettings;
import dev.aidetect.tools.cli.CommandFailure;
import dev.aidetect.tools.cli.KafkaClusterOption;
import dev.aidetect.tools.cli.Progress;
import dev.aidetect.tools.dataset.LabelledImage;
import dev.aidetect.tools.submit.ImageSource;
import dev.aidetect.tools.submit.Submitter;
import dev.aidetect.tools.submit.VerdictReport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "submit", mixinStandardHelpOptions = true, description = "Send images to a running pipeline (./aidetect "
        + "up, or any cluster) and print their final verdicts: files and folders (read one at a time, sent inline; "
        + "labels from folder names real/, fake/<family>/<generator>/) and URIs the pipeline fetches itself. Exit "
        + "code 0 only if every image was taken by the broker and got exactly one final verdict.")
public final class SubmitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "FILE|DIR", description = "Image files, or folders searched recursively.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--uri", arity = "1..*", paramLabel = "URL", description = "Images by address (https:, file:): "
            + "the embedder fetches them, within its fetch settings (AIDETECT_EMBEDDER_FETCH_ALLOWED_HOSTS, "
            + "AIDETECT_EMBEDDER_FETCH_FILE_ROOT).")
    List<String> uris = new ArrayList<>();

    @Mixin
    KafkaClusterOption kafka;

    @Option(names = "--router", paramLabel = "URL", defaultValue = "${env:AIDETECT_ROUTER_URL:-http://localhost:8083}", description = "The router's HTTP address, checked before sending and "
            + "named for verdict lookups (default: AIDETECT_ROUTER_URL or ${DEFAULT-VALUE}).")
    URI router;

    @Option(names = "--timeout", defaultValue = "PT2M", description = "How long to wait for all final verdicts, ISO-8601 (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--source", defaultValue = "aidetect-submit", description = "Source recorded on each submission.")
    String source;

    @Option(names = "--max-in-flight-mb", defaultValue = "64", paramLabel = "MB", description = "Most megabytes of read images waiting for the broker at once (default ${DEFAULT-VALUE}); "
            + "a folder of any size streams through in this much memory.")
    int maxInFlightMb;

    @Override
    public Integer call() {
        if (paths.isEmpty() && uris.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "give image files, folders or --uri URL");
        }
        if (maxInFlightMb < 1 || maxInFlightMb > 1024) {
            throw new ParameterException(spec.commandLine(), "--max-in-flight-mb must be between 1 and 1024");
        }
        List<ImageSource> sources = new ArrayList<>();
        LabelledImage.collect(paths).forEach(image -> sources.add(ImageSource.file(image)));
        if (sources.isEmpty() && !paths.isEmpty() && uris.isEmpty()) {
            throw new CommandFailure("no files found under " + paths + ": give image files or folders that hold some");
        }
        for (String uri : uris) {
            try {
                sources.add(ImageSource.uri(uri));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--uri " + e.getMessage());
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        KafkaClientSettings cluster = kafka.reachable();
        boolean routerUp = routerAnswers(router);
        if (!routerUp) {
            err.printf("  note: no router answers at %s: final verdicts come once the pipeline runs (./aidetect up "
                    + "starts one; --router names another)%n", router);
        }
        boolean held = submitAndReport(cluster, source, sources, maxInFlightMb << 20, timeout,
                spec.commandLine().getOut(), err);
        if (routerUp) {
            err.printf("  look a verdict up again: GET %s/verdicts/{imageId}%n", trimmed(router));
        }
        return held ? 0 : 1;
    }

    /** Submits files inline, prints a row per final verdict as it arrives and the summary; true if the invariant held. */
    static boolean submitAndReport(KafkaClientSettings cluster, String source, List<LabelledImage> images,
            Duration timeout, PrintWriter out, PrintWriter err) {
        return submitAndReport(cluster, source, images.stream().map(ImageSource::file).toList(),
                Submitter.DEFAULT_IN_FLIGHT_BYTES, timeout, out, err);
    }

    /** Submits files inline, prints a row per final verdict as it arrives and the summary; true if the invariant held. */
    static boolean submitAndReport(String bootstrapServers, String source, List<LabelledImage> images,
            Duration timeout, PrintWriter out, PrintWriter err) {
        return submitAndReport(KafkaClientSettings.plaintext(bootstrapServers), source, images, timeout, out, err);
    }

    /**
     * Submits files inline and URIs by reference with a progress bar, prints a row per final verdict as it arrives
     * and the summary; true if the invariant held.
     */
    static boolean submitAndReport(KafkaClientSettings cluster, String source, List<ImageSource> sources,
            int maxInFlightBytes, Duration timeout, PrintWriter out, PrintWriter err) {
        VerdictReport report = new VerdictReport(out);
        try (Submitter submitter = new Submitter(cluster, source, maxInFlightBytes)) {
            Submitter.Sent submission = submitter.send(sources,
                    Progress.counter("submitting", sources.size(), err));
            submission.refused().forEach(refusal -> err.printf("  not submitted: %s: %s%n", refusal.source(),
                    refusal.reason()));
            err.printf("  submitted %d images to %s, waiting for final verdicts...%n",
                    submission.sent().size(), cluster.bootstrapServers());
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

    /** Whether the router's readiness answers 200 within two seconds. */
    static boolean routerAnswers(URI router) {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(trimmed(router)
                    + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String trimmed(URI router) {
        String text = router.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }
}
