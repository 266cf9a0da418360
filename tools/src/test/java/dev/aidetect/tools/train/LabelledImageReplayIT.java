package dev.aidetect.tools.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import dev.aidetect.kafka.KafkaEndpoint;
import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.Topics;
import dev.aidetect.tools.dataset.LabelledImage;

/**
 * Replaying {@code ImageSubmitted} records into a labelled folder ({@code train attribution --topic}) on a real broker:
 * only labelled fakes with a family, a generator and inline bytes are written; every other record is counted under
 * why it was left out, and no label can write outside the folder.
 */
class LabelledImageReplayIT {
    private static final byte[] BYTES = {1, 2, 3, 4};

    @Test
    void writesLabelledFakesUnderTheirFoldersAndCountsTheOthersByReason() throws Exception {
        // given
        String topic = topic(List.of(
                submitted("fake-1", label(Authenticity.FAKE, "gan", "upconv-gan"), BYTES),
                submitted("fake-2", label(Authenticity.FAKE, "diffusion", "latent-diffusion"), BYTES),
                submitted("real", label(Authenticity.REAL, null, null), BYTES),
                submitted("unknown", label(Authenticity.UNKNOWN, null, null), BYTES),
                submitted("no-generator", label(Authenticity.FAKE, "gan", null), BYTES),
                submitted("no-family", label(Authenticity.FAKE, null, "upconv-gan"), BYTES),
                submitted("no-label", null, BYTES),
                submitted("by-uri", label(Authenticity.FAKE, "gan", "upconv-gan"), null)));

        // when
        try (LabelledImageReplay.Replayed replayed = replay(topic)) {

            // then
            assertThat(replayed.written()).isEqualTo(2);
            assertThat(replayed.leftOut()).containsOnly(entry("not FAKE", 2), entry("without family or generator", 2),
                    entry("unlabelled", 1), entry("without inline content (uri only)", 1));
            assertThat(replayed.images()).extracting(i -> i.label().getFamily() + "/" + i.label().getGenerator())
                    .containsExactly("diffusion/latent-diffusion", "gan/upconv-gan");
            assertThat(replayed.images()).allSatisfy(i -> assertThat(Files.readAllBytes(i.file())).isEqualTo(BYTES));
            assertThat(replayed.summary(topic)).isEqualTo("replayed 2 labelled fakes from " + topic
                    + "; left out 2 not FAKE, 1 unlabelled, 2 without family or generator, "
                    + "1 without inline content (uri only)");
        }
    }

    @Test
    void namesFromLabelsCannotWriteOutsideTheReplayFolder() throws Exception {
        String topic = topic(List.of(
                submitted("../../escape", label(Authenticity.FAKE, "..", "../../etc"), BYTES),
                submitted("x", label(Authenticity.FAKE, "gan/evil", ".hidden"), BYTES)));

        Path root;
        try (LabelledImageReplay.Replayed replayed = replay(topic)) {
            root = replayed.root();
            List<LabelledImage> images = replayed.images();

            assertThat(replayed.written()).isEqualTo(2);
            assertThat(images).hasSize(2).allSatisfy(i -> {
                assertThat(i.file().toAbsolutePath().normalize()).startsWith(root.resolve("fake"));
                assertThat(i.label().getAuthenticity()).isEqualTo(Authenticity.FAKE);
            });
            assertThat(images).extracting(i -> i.label().getFamily() + "|" + i.label().getGenerator())
                    .containsExactlyInAnyOrder("_..|_.._.._etc", "gan_evil|_.hidden");
        }
        assertThat(root).as("closing deletes the replay folder").doesNotExist();
    }

    @Test
    void anEmptyTopicWritesNothingAndSaysSo() throws Exception {
        String topic = topic(List.of());

        try (LabelledImageReplay.Replayed replayed = replay(topic)) {
            assertThat(replayed.written()).isZero();
            assertThat(replayed.images()).isEmpty();
            assertThat(replayed.summary(topic)).isEqualTo("replayed 0 labelled fakes from " + topic);
        }
    }

    @Test
    void aTopicThatDoesNotExistIsNamedAndNoFolderIsLeft() {
        String topic = "no-such-topic-" + UUID.randomUUID();

        assertThatThrownBy(() -> replay(topic)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topic " + topic + " does not exist on " + KafkaEndpoint.bootstrapServers())
                .hasMessageContaining("images.ingest");
    }

    private static LabelledImageReplay.Replayed replay(String topic) throws Exception {
        return LabelledImageReplay.toTemporaryFolder(KafkaEndpoint.bootstrapServers(), topic, total -> n -> {
        });
    }

    private static String topic(List<ImageSubmitted> records) throws Exception {
        String topic = "replay-" + UUID.randomUUID();
        KafkaEndpoint.createTopic(topic, 2);
        List<ProducerRecord<String, byte[]>> sends = new ArrayList<>();
        for (ImageSubmitted record : records) {
            sends.add(new ProducerRecord<>(topic, record.getImageId(),
                    Topics.INGEST.valueSerde().serializer().serialize(topic, record)));
        }
        KafkaEndpoint.produce(sends);
        return topic;
    }

    private static ImageSubmitted submitted(String id, ImageLabel label, byte[] bytes) {
        ImageContent content = bytes == null
                ? ImageContent.newBuilder().setUri("file:///elsewhere/" + id + ".png").build()
                : ImageContent.newBuilder().setContent(ByteBuffer.wrap(bytes)).build();
        return ImageSubmitted.newBuilder().setImageId(id).setSubmittedAt(Instant.EPOCH).setSource("test")
                .setImage(content).setLabel(label).build();
    }

    private static ImageLabel label(Authenticity authenticity, String family, String generator) {
        return new ImageLabel(authenticity, family, generator, null);
    }

    private static java.util.Map.Entry<String, Integer> entry(String reason, int count) {
        return java.util.Map.entry(reason, count);
    }
}
