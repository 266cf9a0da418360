package dev.aidetect.embedder.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.aidetect.imaging.decode.DecodeLimits;
import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.Topics;
import dev.aidetect.testing.ConfigDefaults;
import dev.aidetect.topics.TopicsConfig;

/**
 * Limits and defaults that must agree, held together here rather than by comments: the embedder's byte limit, the
 * decoder's, and what the ingest topic can carry inline; and each default written once.
 */
class LimitsAgreeTest {
    @Test
    void theEmbeddersDefaultLimitsAreTheDecodersDefaults() {
        var defaults = ConfigDefaults.defaultsOf(EmbedderConfig.class);

        assertThat(Long.parseLong(defaults.get("aidetect.embedder.max-bytes")))
                .isEqualTo(DecodeLimits.defaults().maxBytes());
        assertThat(Long.parseLong(defaults.get("aidetect.embedder.max-pixels")))
                .isEqualTo(DecodeLimits.defaults().maxPixels());
    }

    @Test
    void anInlineImageOfTheLargestAcceptedSizeFitsInAnIngestRecord() {
        int largest = (int) DecodeLimits.defaults().maxBytes();
        ImageSubmitted record = ImageSubmitted.newBuilder().setImageId("a".repeat(64)).setSubmittedAt(Instant.now())
                .setSource("a-platform").setImage(ImageContent.newBuilder().setContentType("image/jpeg")
                        .setContent(ByteBuffer.wrap(new byte[largest])).build())
                .build();

        byte[] value = Topics.INGEST.valueSerde().serializer().serialize(Topics.INGEST.name(), record);

        assertThat(value.length).as("an ImageSubmitted with a %d-byte image vs the topic's max.message.bytes",
                largest).isLessThan(Topics.INGEST_MAX_MESSAGE_BYTES);
    }

    @Test
    void applicationPropertiesRepeatsNoDefault() throws Exception {
        assertThat(ConfigDefaults.repeatedIn(Path.of("src/main/resources/application.properties"),
                EmbedderConfig.class, TopicsConfig.class)).as("set in application.properties to their @WithDefault")
                .isEmpty();
    }
}
