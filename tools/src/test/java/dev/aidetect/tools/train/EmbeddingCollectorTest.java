package dev.aidetect.tools.train;

import static dev.aidetect.tools.train.Embeddings.fake;
import static dev.aidetect.tools.train.Embeddings.real;
import static dev.aidetect.tools.train.Embeddings.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.ImageLabel;

/** Labelled training vectors from embedding records: one encoder only, unlabelled records counted and left out. */
class EmbeddingCollectorTest {
    private final EmbeddingCollector collector = new EmbeddingCollector("topic images.embedded");

    @Test
    void keepsEachLabelledVectorWithItsLabelInOrder() {
        collector.accept(record("a", "clip", new float[]{1, 2}, real()));
        collector.accept(record("b", "clip", new float[]{3, 4}, fake("gan")));

        LabelledEmbeddings data = collector.collected();

        assertThat(data.encoderId()).isEqualTo("clip");
        assertThat(data.vectors()).containsExactly(new float[]{1, 2}, new float[]{3, 4});
        assertThat(data.labels()).containsExactly(real(), fake("gan"));
        assertThat(data.skipped()).isEmpty();
    }

    @Test
    void countsRecordsWithoutALabelOrWithAnUnknownOneAndLeavesThemOut() {
        collector.accept(record("a", "clip", new float[]{1, 2}, real()));
        collector.accept(record("b", "clip", new float[]{3, 4}, null));
        collector.accept(record("c", "clip", new float[]{5, 6}, new ImageLabel(Authenticity.UNKNOWN, null, null,
                null)));

        LabelledEmbeddings data = collector.collected();

        assertThat(data.vectors()).containsExactly(new float[]{1, 2});
        assertThat(data.skipped()).containsExactly("2 records of topic images.embedded without a real/fake label");
    }

    @Test
    void anUnlabelledRecordOfAnotherEncoderIsLeftOutNotRefused() {
        collector.accept(record("a", "clip", new float[]{1, 2}, real()));
        collector.accept(record("b", "dino", new float[]{1, 2, 3}, null));

        assertThat(collector.collected().vectors()).hasSize(1);
    }

    @Test
    void refusesASecondEncoderNamingTheImageAndBothEncoders() {
        collector.accept(record("a", "clip", new float[]{1, 2}, real()));

        assertThatThrownBy(() -> collector.accept(record("b", "dino", new float[]{1, 2, 3}, fake("gan"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topic images.embedded mixes encoders: image b has a dino vector of size 3 "
                        + "but earlier records have clip vectors of size 2");
    }

    @Test
    void refusesVectorsOfAnotherSizeFromTheSameEncoder() {
        collector.accept(record("a", "clip", new float[]{1, 2}, real()));

        assertThatThrownBy(() -> collector.accept(record("b", "clip", new float[]{1, 2, 3}, real())))
                .hasMessageContaining("clip vector of size 3 but earlier records have clip vectors of size 2");
    }

    @Test
    void noLabelledRecordAtAllSaysHowToGetLabels() {
        collector.accept(record("a", "clip", new float[]{1, 2}, null));

        assertThatThrownBy(collector::collected).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topic images.embedded holds no labelled embeddings (1 without a label)")
                .hasMessageContaining("real/ and fake/<family>/<generator>/");
    }

    @Test
    void laterChangesToTheRecordDoNotChangeTheCollectedVector() {
        var embedding = record("a", "clip", new float[]{1, 2}, real());
        collector.accept(embedding);

        embedding.getVector().set(0, 99f);

        assertThat(collector.collected().vectors().getFirst()).containsExactly(1, 2);
    }
}
