package dev.aidetect.router.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.aidetect.schemas.Topics;

class ChannelNamesTest {
    @Test
    void theFinalVerdictChannelIsNamedAsItsTopic() {
        assertThat(CommittedFinals.CHANNEL).isEqualTo(Topics.FINAL.name());
    }
}
