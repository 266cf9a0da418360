package dev.aidetect.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.apache.kafka.common.config.TopicConfig;
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

    @Test
    void finalVerdictsAreCompactedSoThatEveryImagesVerdictStaysForTheTopicsLifetime() {
        assertThat(Topics.configsOf(Topics.FINAL))
                .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        assertThat(Topics.configsOf(Topics.INGEST)).doesNotContainKey(TopicConfig.CLEANUP_POLICY_CONFIG);
        assertThat(Topics.all()).filteredOn(topic -> topic != Topics.FINAL && topic != Topics.INGEST)
                .allSatisfy(topic -> assertThat(Topics.configsOf(topic)).as(topic.name()).isEqualTo(Map.of()));
    }
}
