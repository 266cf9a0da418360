package dev.aidetect.classifier.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.aidetect.classifier.messaging.Channels;
import dev.aidetect.schemas.Topics;

class ModelSlotTest {
    @Test
    void namesTheEnvironmentVariablesTheLauncherSets() {
        assertThat(ModelSlot.DETECTION_HEAD.environmentVariable()).isEqualTo("AIDETECT_CLASSIFIER_DETECTION_HEAD");
        assertThat(ModelSlot.DETECTION_NETWORK.environmentVariable())
                .isEqualTo("AIDETECT_CLASSIFIER_DETECTION_NETWORK");
        assertThat(ModelSlot.FAMILY_HEAD.environmentVariable()).isEqualTo("AIDETECT_CLASSIFIER_FAMILY_HEAD");
        assertThat(ModelSlot.FAMILY_NETWORK.environmentVariable()).isEqualTo("AIDETECT_CLASSIFIER_FAMILY_NETWORK");
        assertThat(ModelSlot.GAN_ATTRIBUTION.environmentVariable()).isEqualTo("AIDETECT_CLASSIFIER_ATTRIBUTION_GAN");
        assertThat(ModelSlot.DIFFUSION_ATTRIBUTION.environmentVariable())
                .isEqualTo("AIDETECT_CLASSIFIER_ATTRIBUTION_DIFFUSION");
    }

    @Test
    void eachSlotServesTheRequestTopicOfItsStage() {
        assertThat(Channels.servedBy(ModelSlot.DETECTION_HEAD)).isEqualTo(Topics.EMBEDDED.name());
        assertThat(Channels.servedBy(ModelSlot.DETECTION_NETWORK)).isEqualTo(Topics.EMBEDDED.name());
        assertThat(Channels.servedBy(ModelSlot.FAMILY_HEAD)).isEqualTo(Topics.FAMILY_REQUESTS.name());
        assertThat(Channels.servedBy(ModelSlot.FAMILY_NETWORK)).isEqualTo(Topics.FAMILY_REQUESTS.name());
        for (String family : Topics.FAMILIES) {
            assertThat(Channels.servedBy(ModelSlot.attribution(family)))
                    .isEqualTo(Topics.attributionRequests(family).name());
        }
    }

    @Test
    void namesEachSlotInTheModelsApiByItsPropertyAndFindsItBack() {
        assertThat(ModelSlot.DETECTION_HEAD.apiName()).isEqualTo("detection-head");
        assertThat(ModelSlot.DETECTION_NETWORK.apiName()).isEqualTo("detection-network");
        assertThat(ModelSlot.DETECTION_NETWORK.holdsVectorHead()).as("a network on pixels, not a vector head")
                .isFalse();
        assertThat(ModelSlot.GAN_ATTRIBUTION.apiName()).isEqualTo("attribution-gan");
        for (ModelSlot slot : ModelSlot.values()) {
            assertThat(ModelSlot.ofApiName(slot.apiName())).contains(slot);
        }
        assertThat(ModelSlot.ofApiName("detection")).isEmpty();
    }

    @Test
    void outgoingChannelsAreThePipelineTopics() {
        assertThat(Channels.outgoing()).containsExactlyInAnyOrder(Topics.DETECTION_VERDICTS.name(),
                Topics.FAMILY_VERDICTS.name(), Topics.ATTRIBUTION_VERDICTS.name(), Topics.REJECTED.name());
    }
}
