package dev.aidetect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.aidetect.tools.bench.PipelineBenchCommand;
import dev.aidetect.tools.cli.ExitCodes;

import picocli.CommandLine;

/**
 * {@code aidetect bench pipeline} in short: the packaged services on brokers of their own, two dozen images (a quarter
 * of them 3 MP photos, a quarter of each kind by uri), then every stage alone. The figures mean little on a shared
 * test machine; the test holds that each run happens and measures something, and that the summary line is printed.
 */
class PipelineBenchIT {
    private static final Path ROOT = Path.of(System.getProperty("aidetect.project.root", "..")).toAbsolutePath();
    private static final Pattern LAST_LINE = Pattern.compile("pipeline: (\\S+) img/s, bottleneck (\\w+) (\\S+) img/s, "
            + "pipeline/bottleneck (\\S+), p99 (\\d+) ms");

    @Test
    void runsThePipelineAndEveryStageAloneAndEndsWithTheSummaryLine() throws Exception {
        // given the demo models the other end-to-end tests use (trained there by whichever test comes first); the
        // images, logs and figures stay in target/bench-pipeline
        Path work = ROOT.resolve("end-to-end/target/bench-pipeline");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ExitCodes.install(new CommandLine(new PipelineBenchCommand()))
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        Path json = work.resolve("figures.json");

        // when
        long start = System.nanoTime();
        int exit = cli.execute("--images", "16", "--warm-up", "8", "--in-flight", "8", "--phone-share", "0.25",
                "--phone-sizes", "3", "--uri-share", "0.25", "--models-from", ROOT.resolve("end-to-end/target/e2e")
                        .toString(),
                "--work-dir", work.toString(), "--json", json.toString());
        System.out.printf("%s%s%nbench pipeline took %d s%n", err, out, (System.nanoTime() - start) / 1_000_000_000L);

        // then it ends with the summary line, with a rate, a bottleneck and a latency
        assertThat(exit).as("exit code; stderr:%n%s", err).isZero();
        String[] lines = out.toString().strip().split("\n");
        Matcher last = LAST_LINE.matcher(lines[lines.length - 1]);
        assertThat(last.matches()).as("last line: %s", lines[lines.length - 1]).isTrue();
        assertThat(Double.parseDouble(last.group(1))).as("pipeline img/s").isPositive();
        assertThat(last.group(2)).isIn("embedder", "classifier", "router");
        assertThat(Double.parseDouble(last.group(3))).as("bottleneck img/s").isPositive();
        assertThat(Double.parseDouble(last.group(4))).as("pipeline/bottleneck").isPositive();
        assertThat(Long.parseLong(last.group(5))).as("p99 ms").isPositive();
        // every image got exactly one final verdict, and every stage ran alone
        assertThat(out.toString()).contains("finals: 24 of 24", "; 0 second finals");
        assertThat(out.toString()).containsPattern("embedder alone +16 +\\d+\\.\\d\\d")
                .containsPattern("classifier alone +16 +\\d+\\.\\d\\d")
                .containsPattern("router alone +16 +\\d+\\.\\d\\d");
        JsonNode figures = new ObjectMapper().readTree(Files.readString(json));
        assertThat(figures.at("/line").asText()).isEqualTo(lines[lines.length - 1]);
        assertThat(figures.at("/pipeline/processes/embedder/peakRssMb").asDouble()).isPositive();
        assertThat(figures.at("/pipeline/processes/router/cpuSeconds").asDouble()).isPositive();
    }
}
