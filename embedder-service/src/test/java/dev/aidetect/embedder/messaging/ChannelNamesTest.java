package dev.aidetect.embedder.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.aidetect.schemas.Topics;

class ChannelNamesTest {
    @Test
    void everyChannelIsNamedAsItsTopic() {
        assertThat(Channels.INGEST).isEqualTo(Topics.INGEST.name());
        assertThat(Channels.RECEIVED).isEqualTo(Topics.RECEIVED.name());
        assertThat(Channels.EMBEDDED).isEqualTo(Topics.EMBEDDED.name());
        assertThat(Channels.REJECTED).isEqualTo(Topics.REJECTED.name());
    }
}
