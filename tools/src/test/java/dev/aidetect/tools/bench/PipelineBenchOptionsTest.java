package dev.aidetect.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import dev.aidetect.tools.cli.ExitCodes;

import picocli.CommandLine;

/** Option values a run would trip over minutes in are refused before anything starts, as usage errors. */
class PipelineBenchOptionsTest {

    private static String usageError(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = ExitCodes.install(new CommandLine(new PipelineBenchCommand()))
                .setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err, true));
        assertThat(cli.execute(args)).as("exit code").isEqualTo(ExitCodes.USAGE);
        return err.toString();
    }

    @Test
    void refusesASharePastOne() {
        assertThat(usageError("--phone-share", "1.5")).contains("--phone-share and --uri-share are shares: 0 to 1");
    }

    @Test
    void refusesAnUnknownStageNamingTheKnownOnes() {
        assertThat(usageError("--stages", "embedder,ranker")).contains("unknown stage 'ranker'",
                "embedder, classifier, router or none");
    }

    @Test
    void refusesPhoneSizesTheEmbedderWouldReject() {
        assertThat(usageError("--phone-sizes", "3,48")).contains("--phone-sizes are megapixels from 1 to 40");
    }
}
