package dev.aidetect.tools.bench;

import static dev.aidetect.testing.Prerequisites.requireSkimagePhotos;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.tools.stack.StackService;

import picocli.CommandLine;

/** {@code bench embed} end to end on the tiny test encoder and four photos: every mode that can run here runs. */
class EmbedBenchSmokeTest {
    private static final Pattern LAST_LINE = Pattern.compile("embed: ceiling (\\S+) img/s, inprocess (\\S+) img/s, "
            + "kafka (\\S+) img/s, python (\\S+) img/s, kafka/ceiling (\\S+), inprocess/python (\\S+)");
    private static final String NUMBER = "\\d+\\.\\d\\d";

    @Test
    void runsAllFourModesOnTheTinyEncoderAndEndsWithTheSummaryLine(@TempDir Path work) {
        // given
        requireSkimagePhotos(Files.isDirectory(BenchImages.SKIMAGE_DATA));
        Path root = Path.of(System.getProperty("aidetect.project.root"));
        boolean kafkaBuilt = Files.exists(StackService.EMBEDDER.jar(root));
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new EmbedBenchCommand()).setOut(new PrintWriter(out));

        // when
        int exit = cli.execute("--models", "tiny", "--images", "4", "--batch", "2", "--threads", "1", "--work-dir",
                work.toString());

        // then
        assertThat(exit).isZero();
        String[] lines = out.toString().strip().split("\n");
        Matcher last = LAST_LINE.matcher(lines[lines.length - 1]);
        assertThat(last.matches()).as("last line: %s", lines[lines.length - 1]).isTrue();
        assertThat(last.group(1)).matches(NUMBER);
        assertThat(last.group(2)).matches(NUMBER);
        assertThat(last.group(3)).matches(kafkaBuilt ? NUMBER : "n/a");
        assertThat(last.group(4)).matches(PythonPeer.hasTorch() ? NUMBER : "n/a");
        assertThat(out.toString()).contains("tiny       ceiling", "tiny       inprocess", "tiny       kafka",
                "tiny       python");
        assertThat(work.resolve("images")).isDirectoryContaining("glob:**/astronaut.jpg");
    }

    @Test
    void draftDecodesPhoneSizedPhotosInTheJavaModesAndThePythonPeer(@TempDir Path work) {
        requireSkimagePhotos(Files.isDirectory(BenchImages.SKIMAGE_DATA));
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new EmbedBenchCommand()).setOut(new PrintWriter(out));

        int exit = cli.execute("--models", "tiny", "--modes", "inprocess,python", "--images", "2", "--batch", "2",
                "--threads", "1", "--long-side", "1200", "--draft-decode", "--work-dir", work.toString());

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("tiny       inprocess").doesNotContain("failed");
        assertThat(work.resolve("images-1200")).isDirectoryContaining("glob:**/astronaut.jpg");
        if (PythonPeer.hasTorch()) {
            assertThat(out.toString()).containsPattern("tiny +python +\\d");
        }
    }
}
