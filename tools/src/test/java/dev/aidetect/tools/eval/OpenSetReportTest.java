package dev.aidetect.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The tables of {@code eval attribution}: which scores they list, and the served rule's confusion table. */
class OpenSetReportTest {
    @Test
    void listsTheFeatureScoresOnlyWhenTheyWereComputed() {
        List<Scored> calibration = List.of(Scored.of(0, new float[]{5, 0}), Scored.of(1, new float[]{0, 5}));
        List<Scored> test = List.of(Scored.of(0, new float[]{5, 0}), Scored.of(Scored.HELD_OUT, new float[]{1, 1}));

        String report = print(calibration, test);

        assertThat(report).contains("max softmax", "max logit", "energy").doesNotContain("mahalanobis", "kNN");
    }

    @Test
    void tradeOffHasOneRowPerScoreAndKeptRate() {
        List<Scored> calibration = List.of(Scored.of(0, new float[]{5, 0}), Scored.of(1, new float[]{0, 5}));
        List<Scored> test = List.of(Scored.of(0, new float[]{5, 0}), Scored.of(Scored.HELD_OUT, new float[]{1, 1}));

        String report = print(calibration, test);

        assertThat(report.lines().filter(l -> l.startsWith("max softmax ")).count()).isEqualTo(4);
        assertThat(report).containsPattern("(?m)^max logit\\s+1\\.000\\s+0\\.99");
    }

    @Test
    void everyKnownAnsweredWithinTheThresholdIsCountedUnderItsAnswer() {
        List<Scored> calibration = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calibration.add(Scored.of(i % 2, i % 2 == 0 ? new float[]{9, 0} : new float[]{0, 9}));
        }
        // a confident wrong answer: true class a, called b
        List<Scored> test = List.of(Scored.of(0, new float[]{0, 9}), Scored.of(0, new float[]{9, 0}),
                Scored.of(1, new float[]{0, 9}), Scored.of(Scored.HELD_OUT, new float[]{0, 0}));

        String report = print(calibration, test);

        assertThat(report).containsPattern("\\na\\s+1\\s+1\\s+0\\s+0\\.500");
        assertThat(report).containsPattern("\\nb\\s+0\\s+1\\s+0\\s+1\\.000");
    }

    @Test
    void calibrationWithoutACorrectlyNamedKnownImageSaysToTrainLonger() {
        List<Scored> wrong = List.of(Scored.of(0, new float[]{0, 5}), Scored.of(Scored.HELD_OUT, new float[]{5, 0}));

        assertThatThrownBy(() -> print(wrong, wrong)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no correctly named known image to calibrate on; train longer");
    }

    private static String print(List<Scored> calibration, List<Scored> test) {
        StringWriter out = new StringWriter();
        OpenSetReport.print(List.of("a", "b"), "c", calibration, test, new PrintWriter(out, true));
        return out.toString();
    }
}
