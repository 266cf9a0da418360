package dev.aidetect.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class OpenSetThresholdsTest {

    @Test
    void scoresFollowTheirDefinitions() {
        float[] logits = {2f, 0f, 0f};
        double sum = Math.exp(2) + 2;

        assertThat(OpenSetScore.MAX_SOFTMAX.of(logits)).isCloseTo(Math.exp(2) / sum, within(1e-12));
        assertThat(OpenSetScore.MAX_LOGIT.of(logits)).isEqualTo(2.0);
        assertThat(OpenSetScore.ENERGY.of(logits)).isCloseTo(Math.log(sum), within(1e-12));
    }

    @Test
    void thresholdKeepsTheRequestedShareOfCorrectKnownsAndIgnoresWrongOnes() {
        List<Scored> calibration = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            calibration.add(Scored.of(0, new float[]{i, 0}));
        }
        calibration.add(Scored.of(1, new float[]{-50, 0}));

        double threshold = OpenSetThresholds.atTruePositiveRate(calibration, OpenSetScore.MAX_LOGIT, 0.95);

        long kept = calibration.stream().filter(s -> s.correct() && s.score(OpenSetScore.MAX_LOGIT) >= threshold)
                .count();
        assertThat(kept).isBetween(95L, 96L);
    }

    @Test
    void aurocIsOneWhenEveryKnownOutscoresEveryHeldOutAndHalfWhenTheyTie() {
        List<Scored> separated = List.of(Scored.of(0, new float[]{5, 0}), Scored.of(0, new float[]{4, 0}),
                Scored.of(Scored.HELD_OUT, new float[]{1, 0}));
        List<Scored> tied = List.of(Scored.of(0, new float[]{1, 0}), Scored.of(Scored.HELD_OUT, new float[]{1, 0}));

        assertThat(OpenSetThresholds.auroc(separated, OpenSetScore.MAX_LOGIT)).isEqualTo(1.0);
        assertThat(OpenSetThresholds.auroc(tied, OpenSetScore.MAX_LOGIT)).isEqualTo(0.5);
    }

    @Test
    void reportCountsHeldOutImagesBelowTheThresholdAsUnknown() {
        List<Scored> calibration = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calibration.add(Scored.of(i % 2, i % 2 == 0 ? new float[]{9, 0} : new float[]{0, 9}));
        }
        List<Scored> test = List.of(Scored.of(0, new float[]{9, 0}), Scored.of(1, new float[]{0, 9}),
                Scored.of(Scored.HELD_OUT, new float[]{0.1f, 0}), Scored.of(Scored.HELD_OUT, new float[]{0, 9}));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        OpenSetReport.print(List.of("a", "b"), "c", calibration, test, new PrintWriter(
                new OutputStreamWriter(bytes, StandardCharsets.UTF_8), true));

        String report = bytes.toString(StandardCharsets.UTF_8);
        assertThat(report).containsPattern("c \\(held out\\)\\s+0\\s+1\\s+1\\s+0\\.500");
        assertThat(report).containsPattern("\\na\\s+1\\s+0\\s+0\\s+1\\.000");
    }
}
