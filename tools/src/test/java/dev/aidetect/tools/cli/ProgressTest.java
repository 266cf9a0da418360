package dev.aidetect.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.IntConsumer;

import org.junit.jupiter.api.Test;

/** Progress where nobody watches a terminal (a test, a log file): one line per tenth of the work, and the end. */
class ProgressTest {
    @Test
    void aCounterInALogPrintsATenthAtATimeAndTheEnd() {
        StringWriter log = new StringWriter();
        IntConsumer counter = Progress.counter("embedding", 25, new PrintWriter(log));

        for (int done = 1; done <= 25; done++) {
            counter.accept(done);
        }

        assertThat(log.toString().lines()).hasSize(13).allSatisfy(line -> assertThat(line).startsWith("  embedding "))
                .last().asString().startsWith("  embedding 25/25 (100%");
    }

    @Test
    void aCounterFedInJumpsPrintsALineForEachTenthItPasses() {
        StringWriter log = new StringWriter();
        IntConsumer counter = Progress.counter("final verdicts", 100, new PrintWriter(log));

        for (int done : new int[]{0, 32, 64, 96, 100, 100}) {
            counter.accept(done);
        }

        assertThat(log.toString().lines()).extracting(line -> line.split(" \\(")[0]).containsExactly(
                "  final verdicts 0/100", "  final verdicts 32/100", "  final verdicts 64/100",
                "  final verdicts 96/100", "  final verdicts 100/100");
    }

    @Test
    void statusLinesInALogAreEachALine() {
        StringWriter log = new StringWriter();

        Progress.lines("comparing", new PrintWriter(log)).accept("lda fold 1/5");

        assertThat(log.toString()).isEqualTo("  comparing lda fold 1/5" + System.lineSeparator());
    }
}
