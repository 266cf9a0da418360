package dev.aidetect.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.tools.dataset.LabelledImage;
import dev.aidetect.tools.samples.BrokenSample;
import dev.aidetect.tools.samples.SampleSetWriter;
import dev.aidetect.tools.samples.SyntheticGenerator;

/** {@code aidetect samples} and the {@code eval} commands as a user runs them: what they print, and wrong options. */
class SamplesAndEvalCommandsTest {
    @TempDir
    Path dir;

    @Test
    void samplesWritesEverySourceAndTheBrokenFilesAndSaysHowMany() {
        Path out = dir.resolve("samples");

        CliRun run = CliRun.of("samples", out.toString(), "--per-source", "2", "--size", "32", "--seed", "3");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("wrote " + 2 * SyntheticGenerator.values().length + " images and "
                + BrokenSample.values().length + " broken files under " + out);
        assertThat(LabelledImage.collect(List.of(out))).hasSize(2 * SyntheticGenerator.values().length
                + BrokenSample.values().length);
    }

    @Test
    void samplesWithoutBrokenFilesWritesNoBrokenFolder() {
        Path out = dir.resolve("samples");

        CliRun run = CliRun.of("samples", out.toString(), "--per-source", "1", "--size", "32", "--no-broken");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("and 0 broken files");
        assertThat(out.resolve(SampleSetWriter.BROKEN_FOLDER)).doesNotExist();
    }

    @Test
    void anImageSizeThatIsNotAMultipleOfEightIsAUsageError() {
        CliRun run = CliRun.of("samples", dir.resolve("samples").toString(), "--size", "100");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errorLines()).singleElement().asString().contains("aidetect samples:",
                "image size must be a multiple of 8, got 100");
    }

    @Test
    void anUnknownHeldOutPipelineIsAUsageErrorListingThePipelines() {
        CliRun run = CliRun.of("eval", "attribution", "--photos", dir.toString(), "--hold-out", "stylegan");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errorLines()).singleElement().asString().contains("no upsampling pipeline 'stylegan'",
                "tconv-a", "pixelshuffle", "aidetect eval attribution --help");
    }

    @Test
    void tooFewPhotosForTheEvaluationFailsInOneLine() {
        CliRun run = CliRun.of("eval", "attribution", "--photos", dir.toString(), "--per-generator", "1",
                "--calibration", "1", "--test", "1", "--network", dir.resolve("network").toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.errorLines()).singleElement().asString().contains("holds 0 photos but the plan needs 3");
    }

    @Test
    void familyEvaluationNeedsBothFoldersOrNeither() {
        CliRun run = CliRun.of("eval", "family", "--train", dir.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errorLines()).singleElement().asString().contains(
                "give both --train and --test, or neither for stand-in sample sets");
    }

    @Test
    void evalNeedsADataSetOrATopicAndATopicNeedsACluster() {
        CliRun none = CliRun.of("eval");
        CliRun topicAlone = CliRun.of("eval", "--from-topic", "recorded.ingest");

        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.errorLines()).singleElement().asString().contains("give --dataset DIR (one or more) or "
                + "--from-topic TOPIC");
        assertThat(topicAlone.exit()).isEqualTo(2);
        assertThat(topicAlone.errorLines()).singleElement().asString().contains("--from-topic recorded.ingest needs "
                + "--bootstrap-servers");
    }

    @Test
    void aSweepThatIsNotOneIsAUsageErrorSayingWhatIsExpected() {
        CliRun unknown = CliRun.of("eval", "--dataset", dir.toString(), "--offline", "--sweep", "noise=1,2");
        CliRun outOfRange = CliRun.of("eval", "--dataset", dir.toString(), "--offline", "--sweep", "jpeg=100,0");
        CliRun ofATopic = CliRun.of("eval", "--from-topic", "recorded.ingest", "--bootstrap-servers", "localhost:1",
                "--sweep", "blur=1");

        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.errorLines()).singleElement().asString().contains("--sweep 'noise=1,2': expected "
                + "KIND=V1,V2,... with KIND one of [jpeg, blur, scale]");
        assertThat(outOfRange.exit()).isEqualTo(2);
        assertThat(outOfRange.errorLines()).singleElement().asString().contains("--sweep jpeg=0 is out of range");
        assertThat(ofATopic.exit()).isEqualTo(2);
        assertThat(ofATopic.errorLines()).singleElement().asString().contains("--sweep transforms image files, so "
                + "it needs --dataset folders");
    }

    @Test
    void evalOfAFolderInNeitherLayoutFailsInOneLineNamingBoth() {
        CliRun run = CliRun.of("eval", "--dataset", dir.toString(), "--offline");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.errorLines().getLast()).startsWith("aidetect eval: --dataset " + dir).contains(
                "neither real/ and fake/", "0_real|1_fake");
    }

    @Test
    void aBaselineThatIsNoEvalsJsonIsAUsageErrorSayingWhatToGive() {
        CliRun run = CliRun.of("eval", "--dataset", dir.toString(), "--offline", "--baseline",
                dir.resolve("missing").toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errorLines()).first().asString().contains("--baseline " + dir.resolve("missing")
                + ": no such file; give the eval.json (or the folder) that an earlier ./aidetect eval wrote");
    }

    @Test
    void aBaselineOfOtherImagesIsRefusedBeforeTheRunInOneLine() throws Exception {
        Path set = dir.resolve("set");
        for (String file : List.of("real/a.jpg", "real/b.jpg", "fake/gan/stylegan/c.jpg")) {
            Files.createDirectories(set.resolve(file).getParent());
            Files.writeString(set.resolve(file), "listed, never decoded: the refusal comes first");
        }
        Path baseline = Files.writeString(dir.resolve("eval.json"), """
                {"format": "aidetect-eval/1", "run": {"id": "eval-0", "models": {"head": "1"}},
                 "groups": [{"level": "all", "name": "all", "images": 9, "real": 5, "fake": 4, "accuracy": 0.5}]}
                """);

        CliRun run = CliRun.of("eval", "--dataset", set.toString(), "--offline", "--baseline", baseline.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errorLines()).filteredOn(line -> line.contains("--baseline")).singleElement().asString()
                .contains("--baseline " + baseline + " (run eval-0) was evaluated on other data: this run has "
                        + "images: 3 (2 real, 1 fake), the baseline images: 9 (5 real, 4 fake); evaluate both with "
                        + "the same --dataset folders");
        assertThat(run.err()).doesNotContain("[2/4]");
    }
}
