package dev.aidetect.heads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.heads.fixtures.GaussianClouds;

class ArtifactFormatTest {
    @TempDir
    Path dir;

    private static HeadMetadata withFormat(HeadMetadata m, int format, String calibration) {
        return new HeadMetadata(format, m.id(), m.version(), m.stage(), m.classes(), m.positiveClass(), m.encoder(),
                m.preprocessing(), m.threshold(), m.thresholdMethod(), m.algorithm(), m.hyperparameters(),
                m.training(), m.validation(), m.trainedAt(), calibration, format < 3 ? null : m.reduction());
    }

    private VectorHead trained() throws IOException {
        GaussianClouds clouds = GaussianClouds.of(List.of("REAL", "FAKE"), 30, 4, 5, 2);
        return new HeadTrainer().train(clouds.vectors(), clouds.labels(), HeadTrainingOptions.detection("tiny-clip"),
                dir.resolve("new.head"));
    }

    @Test
    void loadsAFormatOneArtifactWrittenBeforeCalibrationWasRecorded() throws IOException {
        VectorHead head = trained();
        HeadArtifact.write(dir.resolve("old.head"), withFormat(head.metadata(), 1, null), head.model());

        VectorHead old = VectorHead.load(dir.resolve("old.head"));

        assertThat(old.metadata().formatVersion()).isEqualTo(1);
        assertThat(old.classify(new float[]{3, 3, 3, 3})).isEqualTo(head.classify(new float[]{3, 3, 3, 3}));
    }

    @Test
    void refusesAnArtifactFromANewerFormatSayingWhatToDo() throws IOException {
        VectorHead head = trained();
        HeadArtifact.write(dir.resolve("future.head"), withFormat(head.metadata(), 4, "x"), head.model());

        assertThatThrownBy(() -> VectorHead.load(dir.resolve("future.head"))).isInstanceOf(IOException.class)
                .hasMessageContaining("has head format 4 but this code reads formats 1 to 3")
                .hasMessageContaining("retrain the head or upgrade the service");
    }

    @Test
    void loadsAFormatTwoPcaArtifactWrittenBeforeReductionsWereRecorded() throws IOException {
        GaussianClouds clouds = GaussianClouds.of(List.of("REAL", "FAKE"), 30, 4, 5, 2);
        VectorHead head = new HeadTrainer().train(clouds.vectors(), clouds.labels(),
                HeadTrainingOptions.detection("tiny-clip").withPca(2), dir.resolve("pca.head"));
        HeadArtifact.write(dir.resolve("old-pca.head"), withFormat(head.metadata(), 2, HeadAlgorithm.NATIVE),
                head.model());

        VectorHead old = VectorHead.load(dir.resolve("old-pca.head"));

        assertThat(old.metadata().reduction()).isNull();
        assertThat(old.metadata().hyperparameters()).containsEntry("pca.dimensions", "2");
        assertThat(old.classify(new float[]{3, 3, 3, 3})).isEqualTo(head.classify(new float[]{3, 3, 3, 3}));
    }

    @Test
    void newArtifactsAreFormatThreeAndRecordTheCalibrationAndTheReduction() throws IOException {
        trained();

        VectorHead head = VectorHead.load(dir.resolve("new.head"));

        assertThat(head.metadata().formatVersion()).isEqualTo(3);
        assertThat(head.metadata().calibration()).isEqualTo(HeadAlgorithm.NATIVE);
        assertThat(head.metadata().reduction()).isEqualTo(new HeadMetadata.Reduction("none", 0, 0, 0, null));
    }
}
