package dev.aidetect.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.kafka.KafkaEndpoint;
import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.EmbeddingTimings;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.schemas.ModelRef;
import dev.aidetect.schemas.Topics;
import dev.aidetect.tools.train.EmbeddingFiles;

/** {@code aidetect export embeddings} on a real broker: what it wrote, and what it left out, in one line. */
class ExportEmbeddingsCommandIT {
    @TempDir
    Path dir;

    @Test
    void writesEveryEmbeddingOfTheTopicAndSaysHowManyRecordsWereLeftOut() throws Exception {
        // given: four embeddings and one record that is not Avro
        String topic = "export-" + UUID.randomUUID();
        List<ImageEmbedding> records = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            records.add(embedding("img-" + i));
        }
        TestTopics.fill(topic, 2, Topics.EMBEDDED, records, ImageEmbedding::getImageId);
        Path out = dir.resolve("exports/embeddings.avro");

        // when
        CliRun run = CliRun.of("export", "embeddings", "--topic", topic, "--bootstrap-servers",
                KafkaEndpoint.bootstrapServers(), "--out", out.toString());

        // then
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("exported 4 ImageEmbedding records from " + topic + " to " + out
                + " (1 records that are not ImageEmbedding left out)");
        List<ImageEmbedding> read = new ArrayList<>();
        EmbeddingFiles.read(out, read::add);
        assertThat(read).containsExactlyInAnyOrderElementsOf(records);
    }

    @Test
    void aTopicThatDoesNotExistFailsInOneLineAndLeavesTheLastExportAsItWas() throws Exception {
        // given: an earlier export
        Path out = dir.resolve("embeddings.avro");
        try (EmbeddingFiles.Writer writer = EmbeddingFiles.write(out)) {
            writer.accept(embedding("earlier"));
        }
        String topic = "no-such-topic-" + UUID.randomUUID();

        // when
        CliRun run = CliRun.of("export", "embeddings", "--topic", topic, "--bootstrap-servers",
                KafkaEndpoint.bootstrapServers(), "--out", out.toString());

        // then
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.errorLines()).singleElement().asString().contains("aidetect export embeddings: topic " + topic
                + " does not exist");
        List<String> ids = new ArrayList<>();
        EmbeddingFiles.read(out, e -> ids.add(e.getImageId()));
        assertThat(ids).containsExactly("earlier");
        assertThat(dir).isDirectoryNotContaining("glob:**.partial");
    }

    private static ImageEmbedding embedding(String id) {
        return ImageEmbedding.newBuilder().setImageId(id).setEncodedBy(new ModelRef("tiny-clip", "1"))
                .setVector(List.of(1f, 2f)).setWidth(32).setHeight(32).setSubmittedAt(Instant.EPOCH)
                .setEmbeddedAt(Instant.EPOCH).setTimings(new EmbeddingTimings(0L, 0L, 0L, 0L, 1))
                .setLabel(new ImageLabel(Authenticity.FAKE, "gan", null, null)).build();
    }
}
