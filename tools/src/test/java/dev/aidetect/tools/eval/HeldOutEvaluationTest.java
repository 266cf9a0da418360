package dev.aidetect.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.heads.attribution.AttributionOptions;
import dev.aidetect.tools.samples.UpsamplingPipeline;

/** What {@code eval attribution} checks before it trains anything: the photo folder and how many photos it holds. */
class HeldOutEvaluationTest {
    @TempDir
    Path dir;

    private final StringWriter log = new StringWriter();

    @Test
    void aMissingPhotoFolderSaysWhereToPointPhotos() {
        Path missing = dir.resolve("no-photos");

        assertThatThrownBy(() -> run(plan(missing, 1, 1, 1))).isInstanceOf(IOException.class)
                .hasMessage("no photo folder at " + missing
                        + "; point --photos at real photographs, e.g. ../shared/data/cifake-dev/real");
        assertThat(dir.resolve("network")).doesNotExist();
    }

    @Test
    void tooFewPhotosForThePlanSaysHowManyAndWhatToLower() throws IOException {
        Files.write(dir.resolve("a.jpg"), new byte[]{1});
        Files.write(dir.resolve("b.PNG"), new byte[]{1});
        Files.write(dir.resolve("c.jpeg"), new byte[]{1});
        Files.writeString(dir.resolve("notes.txt"), "not a photo");
        Files.writeString(dir.resolve("d.gif"), "not counted");

        assertThatThrownBy(() -> run(plan(dir, 2, 1, 1))).isInstanceOf(IOException.class)
                .hasMessage(dir + " holds 3 photos but the plan needs 4; lower --per-generator, --calibration or "
                        + "--test");
        assertThat(log.toString()).isEmpty();
    }

    private void run(HeldOutEvaluation.Plan plan) throws IOException {
        new HeldOutEvaluation(new PrintWriter(log, true)).run(plan);
    }

    private HeldOutEvaluation.Plan plan(Path photos, int perGenerator, int calibration, int test) {
        return new HeldOutEvaluation.Plan(photos, UpsamplingPipeline.TCONV_B, perGenerator, calibration, test,
                AttributionOptions.defaults(), dir.resolve("network"), null);
    }
}
