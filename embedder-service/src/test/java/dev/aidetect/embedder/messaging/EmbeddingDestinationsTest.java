package dev.aidetect.embedder.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.aidetect.embedder.messaging.EmbeddingDestinations.Destination;
import dev.aidetect.imaging.encoder.ImageEncoder.Member;
import dev.aidetect.schemas.EmbeddingTimings;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ModelRef;

class EmbeddingDestinationsTest {
    private static final List<Member> CLIP_AND_DINO = List.of(new Member("clip-vit-b-32", "1", 2),
            new Member("dino-vit-b-16", "3", 3));

    @Test
    void givesEachEncoderItsOwnValuesIdAndTopicTheFirstOnImagesEmbedded() {
        // given
        ImageEmbedding combined = embedding(List.of(1f, 2f, 3f, 4f, 5f));

        // when
        List<Destination> destinations = EmbeddingDestinations.split(combined,
                EmbeddingDestinations.Layout.of(CLIP_AND_DINO));

        // then
        assertThat(destinations).extracting(Destination::topic)
                .containsExactly("images.embedded", "images.embedded.dino-vit-b-16");
        ImageEmbedding clip = destinations.get(0).embedding();
        ImageEmbedding dino = destinations.get(1).embedding();
        assertThat(clip.getVector()).containsExactly(1f, 2f);
        assertThat(dino.getVector()).containsExactly(3f, 4f, 5f);
        assertThat(clip.getEncodedBy()).isEqualTo(new ModelRef("clip-vit-b-32", "1"));
        assertThat(dino.getEncodedBy()).isEqualTo(new ModelRef("dino-vit-b-16", "3"));
        assertThat(dino.getImageId()).isEqualTo(combined.getImageId());
        assertThat(dino.getTimings()).isEqualTo(combined.getTimings());
    }

    @Test
    void refusesAVectorThatIsNotTheEncodersSizesSummed() {
        ImageEmbedding tooShort = embedding(List.of(1f, 2f, 3f, 4f));

        assertThatThrownBy(() -> EmbeddingDestinations.split(tooShort,
                EmbeddingDestinations.Layout.of(CLIP_AND_DINO)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has 4 values")
                .hasMessageContaining("make 5");
    }

    @Test
    void refusesTwoEncodersWithOneIdSinceTheyWouldShareATopic() {
        List<Member> twice = List.of(new Member("clip-vit-b-32", "1", 2), new Member("clip-vit-b-32", "2", 3));

        assertThatThrownBy(() -> EmbeddingDestinations.Layout.of(twice))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("clip-vit-b-32 is configured twice")
                .hasMessageContaining("aidetect.embedder.publish=concatenated");
    }

    private static ImageEmbedding embedding(List<Float> vector) {
        return ImageEmbedding.newBuilder()
                .setImageId("img-1")
                .setEncodedBy(new ModelRef("clip-vit-b-32+dino-vit-b-16", "1+3"))
                .setVector(vector)
                .setWidth(640)
                .setHeight(480)
                .setFormat("jpeg")
                .setSubmittedAt(Instant.ofEpochMilli(1_000))
                .setEmbeddedAt(Instant.ofEpochMilli(2_000))
                .setTimings(new EmbeddingTimings(1L, 2L, 3L, 4L, 5))
                .build();
    }
}
