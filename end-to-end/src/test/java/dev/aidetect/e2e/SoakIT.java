package dev.aidetect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.aidetect.tools.bench.SoakCommand;
import dev.aidetect.tools.cli.ExitCodes;

import picocli.CommandLine;

/**
 * {@code aidetect soak} in its 3-minute version: the packaged services on a broker of their own, the capacity measured
 * on 60 warm-up and 80 timed images (a tenth of them 3 MP photos), then three 1-minute intervals at 80% of it. The
 * warm-up is the capacity run (full load: the hot paths compiled, the heaps grown) and the first interval; memory at
 * its end is the baseline the other two are held to, within 20% rather than the long run's 10%: three minutes after
 * their start the JVMs still compile and grow their code caches and native arenas (the classifier went +10.8% from
 * minute 1 to 3 on a machine at load 45, with its heap flat), while a leak of the pixels of every image, the failure
 * this guards against, would add a megabyte per photo. About 4.5 minutes on a quiet machine: a minute to start, half a
 * minute to measure, three to soak, seconds to drain and stop; 7.7 minutes at load 45.
 */
class SoakIT {
    private static final Path ROOT = Path.of(System.getProperty("aidetect.project.root", "..")).toAbsolutePath();

    @Test
    void holdsLagMemoryAndLatencySteadyAtEightyPercentOfCapacityAndGivesEveryImageOneFinal() {
        // given the demo models the other end-to-end tests use; images, logs and broker data in target/soak
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ExitCodes.install(new CommandLine(new SoakCommand())).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));

        // when
        long start = System.nanoTime();
        int exit = cli.execute("--minutes", "3", "--interval", "1", "--warm-up-intervals", "1", "--rss-tolerance",
                "20", "--capacity-warm-up", "60", "--capacity-images", "80", "--phone-share", "0.1", "--phone-sizes",
                "3", "--models-from",
                ROOT.resolve("end-to-end/target/e2e").toString(), "--work-dir",
                ROOT.resolve("end-to-end/target/soak").toString());
        System.out.printf("%s%s%nsoak took %d s%n", err, out, (System.nanoTime() - start) / 1_000_000_000L);

        // then every check passed, and the table has the three intervals, the lag of every stage and its memory
        assertThat(out.toString()).contains("PASS lag bounded", "PASS RSS flat", "PASS p99 stable",
                "PASS one final each", "0 without a final, 0 second finals, 0 not DECIDED");
        assertThat(out.toString()).containsPattern("(?m)^1 +warm-up +\\d+ +\\d+")
                .containsPattern("(?m)^3 +\\d+ +\\d+");
        assertThat(out.toString()).containsPattern("(?m)^embedder +\\d+/\\d+")
                .containsPattern("(?m)^classifier-detection +\\d+/\\d+").containsPattern("(?m)^router +\\d+/\\d+")
                .containsPattern("(?m)^embedder RSS +\\d+").containsPattern("(?m)^router heap +\\d+");
        // and progress came at least every 30 s (a line every 10 s)
        assertThat(err.toString()).contains("interval 3 of 3 ended");
        assertThat(err.toString().lines().filter(line -> line.startsWith("  soak ")).count())
                .isGreaterThanOrEqualTo(180 / 30);
        assertThat(exit).as("exit code; stdout:%n%s", out).isZero();
    }
}
