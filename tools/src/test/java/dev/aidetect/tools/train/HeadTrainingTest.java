package dev.aidetect.tools.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.heads.HeadAlgorithm;
import dev.aidetect.heads.HeadReduction;
import dev.aidetect.heads.ScoreCalibration;
import dev.aidetect.heads.ThresholdRule;
import dev.aidetect.heads.VectorHead;
import dev.aidetect.heads.fixtures.GaussianClouds;
import dev.aidetect.schemas.ImageLabel;

/** The heads {@code train heads} writes from labelled vectors, whatever their source. */
class HeadTrainingTest {
    private static final int SIZE = 16;

    @TempDir
    Path dir;

    private final StringWriter log = new StringWriter();

    @Test
    void writesADetectionHeadOnAllVectorsAndAFamilyHeadOnTheFakes() throws IOException {
        // given
        LabelledEmbeddings data = clouds(List.of("REAL", "gan", "diffusion"), 40);

        // when
        ModelTraining.Heads heads = train(data, HeadPlan.defaults());

        // then
        VectorHead detection = VectorHead.load(heads.detection());
        VectorHead family = VectorHead.load(heads.family());
        assertThat(heads.detection()).isEqualTo(dir.resolve(ModelTraining.DETECTION_HEAD));
        assertThat(heads.family()).isEqualTo(dir.resolve(ModelTraining.FAMILY_HEAD));
        assertThat(detection.metadata().training().examplesPerClass()).containsEntry("REAL", 40)
                .containsEntry("FAKE", 80);
        assertThat(family.metadata().training().examplesPerClass()).containsEntry("gan", 40)
                .containsEntry("diffusion", 40).doesNotContainKey("REAL");
        assertThat(detection.metadata().encoder().id()).isEqualTo("tiny-clip");
        assertThat(detection.metadata().encoder().embeddingSize()).isEqualTo(SIZE);
    }

    @Test
    void writesNoFamilyHeadWhenTheFakesNameOneFamilyAndSaysSo() throws IOException {
        ModelTraining.Heads heads = train(clouds(List.of("REAL", "gan"), 30), HeadPlan.defaults());

        assertThat(heads.family()).isNull();
        assertThat(dir.resolve(ModelTraining.FAMILY_HEAD)).doesNotExist();
        assertThat(log.toString()).contains("no family head: the fakes name fewer than two families");
    }

    @Test
    void printsWhatWasSkippedAndHowManyVectorsItTrainedOn() throws IOException {
        LabelledEmbeddings clouds = clouds(List.of("REAL", "gan"), 30);
        LabelledEmbeddings data = new LabelledEmbeddings(clouds.encoderId(), clouds.vectors(), clouds.labels(),
                List.of("3 records of topic x without a real/fake label"));

        train(data, HeadPlan.defaults());

        assertThat(log.toString()).contains("skipped 3 records of topic x without a real/fake label",
                "60 labelled tiny-clip vectors of size 16");
    }

    @Test
    void headsCarryThePlansThresholdRuleAndCalibration() throws IOException {
        HeadPlan plan = new HeadPlan(HeadAlgorithm.LOGISTIC_REGRESSION, HeadReduction.none(), null, 5,
                ThresholdRule.BEST_ACCURACY, ScoreCalibration.PLATT, HeadPlan.SEEDS_DIMENSIONS, 30);

        ModelTraining.Heads heads = train(clouds(List.of("REAL", "gan", "diffusion"), 40), plan);

        for (Path head : List.of(heads.detection(), heads.family())) {
            assertThat(VectorHead.load(head).metadata().thresholdMethod()).as(head.toString())
                    .isEqualTo("best-accuracy-on-validation");
            assertThat(VectorHead.load(head).metadata().calibration()).as(head.toString()).contains("platt");
        }
    }

    private ModelTraining.Heads train(LabelledEmbeddings data, HeadPlan plan) throws IOException {
        return new HeadTraining(new PrintWriter(log, true)).train(data, dir, plan, line -> {
        });
    }

    /** Seeded vectors of well-separated clouds; "REAL" is real, any other cloud is a fake of that family. */
    private static LabelledEmbeddings clouds(List<String> classes, int perClass) {
        GaussianClouds clouds = GaussianClouds.of(classes, perClass, SIZE, 6, 1);
        List<ImageLabel> labels = new ArrayList<>();
        for (String cloud : clouds.labels()) {
            labels.add(cloud.equals("REAL") ? Embeddings.real() : Embeddings.fake(cloud));
        }
        return new LabelledEmbeddings("tiny-clip", clouds.vectors(), labels, List.of());
    }
}
