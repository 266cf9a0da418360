package dev.aidetect.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicsTest {
    @Test
    void namesAnEncodersOwnEmbeddingTopicAfterItsId() {
        Topic<String, ImageEmbedding> topic = Topics.embeddedBy("dino-vit-b-16");

        assertThat(topic.name()).isEqualTo("images.embedded.dino-vit-b-16");
        assertThat(topic.valueSerde().deserializer()).isNotNull();
    }

    @Test
    void refusesAnEncoderIdThatCannotBePartOfATopicName() {
        assertThatThrownBy(() -> Topics.embeddedBy("openai/clip vit"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'openai/clip vit'")
                .hasMessageContaining("letters, digits");
    }
}
