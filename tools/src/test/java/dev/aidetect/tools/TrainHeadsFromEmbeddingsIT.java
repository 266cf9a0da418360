package dev.aidetect.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.heads.VectorHead;
import dev.aidetect.heads.fixtures.GaussianClouds;
import dev.aidetect.kafka.KafkaEndpoint;
import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.EmbeddingTimings;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.schemas.ModelRef;
import dev.aidetect.schemas.Topics;
import dev.aidetect.tools.train.EmbeddingFiles;

import picocli.CommandLine;

/**
 * {@code train heads} from labelled {@code ImageEmbedding} records, on a real broker: replayed from a topic, and
 * exported to an Avro file and read back. The vectors are three seeded clouds: real, gan and diffusion.
 */
class TrainHeadsFromEmbeddingsIT {
    private static final String ENCODER = "tiny-clip";
    private static final int SIZE = 16;
    private static final List<String> CLOUDS = List.of("REAL", "gan", "diffusion");

    @TempDir
    Path dir;

    @Test
    void trainsWorkingHeadsFromAReplayedTopicAndFromItsExportedAvroFile() throws Exception {
        String topic = "embedded-" + UUID.randomUUID();
        List<ImageEmbedding> records = embeddings(GaussianClouds.of(CLOUDS, 100, SIZE, 6, 1), ENCODER);
        records.add(embedding("unlabelled", new float[SIZE], ENCODER, null));
        TestTopics.fill(topic, 3, Topics.EMBEDDED, records, ImageEmbedding::getImageId);

        int fromTopic = run("train", "heads", "--topic", topic, "--bootstrap", KafkaEndpoint.bootstrapServers(),
                "--out", dir.resolve("from-topic").toString());
        int exported = run("export", "embeddings", "--topic", topic, "--bootstrap", KafkaEndpoint.bootstrapServers(),
                "--out", dir.resolve("embeddings.avro").toString());
        int fromFile = run("train", "heads", "--embeddings", dir.resolve("embeddings.avro").toString(), "--out",
                dir.resolve("from-file").toString());

        assertThat(List.of(fromTopic, exported, fromFile)).containsOnly(0);
        assertThat(EmbeddingFiles.read(dir.resolve("embeddings.avro"), record -> {
        })).isEqualTo(301);
        GaussianClouds fresh = GaussianClouds.of(CLOUDS, 20, SIZE, 6, 2);
        for (String source : List.of("from-topic", "from-file")) {
            VectorHead detection = VectorHead.load(dir.resolve(source).resolve("detection.head"));
            VectorHead family = VectorHead.load(dir.resolve(source).resolve("family.head"));
            assertThat(detection.metadata().training().examplesPerClass()).containsEntry("REAL", 100)
                    .containsEntry("FAKE", 200);
            assertThat(accuracy(detection, fresh, label -> label.equals("REAL") ? "REAL" : "FAKE")).isGreaterThan(0.95);
            assertThat(accuracy(family, fresh, label -> label)).isGreaterThan(0.95);
        }
    }

    @Test
    void refusesAFileThatMixesEncodersAndSaysWhy() throws IOException {
        List<ImageEmbedding> records = embeddings(GaussianClouds.of(CLOUDS, 10, SIZE, 6, 3), ENCODER);
        records.add(embedding("other", new float[768], "openai-clip-vit-l-14",
                ImageLabel.newBuilder().setAuthenticity(Authenticity.REAL).build()));
        Path file = dir.resolve("mixed.avro");
        try (EmbeddingFiles.Writer writer = EmbeddingFiles.write(file)) {
            records.forEach(writer);
        }
        StringWriter err = new StringWriter();
        CommandLine cli = AidetectCli.commandLine();
        cli.setErr(new PrintWriter(err, true));

        int exit = cli.execute("train", "heads", "--embeddings", file.toString(), "--out", dir.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("mixes encoders", "openai-clip-vit-l-14 vector of size 768",
                ENCODER + " vectors of size " + SIZE);
    }

    private static int run(String... args) {
        return AidetectCli.commandLine().execute(args);
    }

    private static double accuracy(VectorHead head, GaussianClouds clouds,
            UnaryOperator<String> expected) {
        int right = 0;
        int counted = 0;
        for (int i = 0; i < clouds.vectors().size(); i++) {
            String truth = expected.apply(clouds.labels().get(i));
            if (!head.metadata().classes().contains(truth)) {
                continue;
            }
            counted++;
            right += head.classify(clouds.vectors().get(i)).decision().equals(truth) ? 1 : 0;
        }
        return (double) right / counted;
    }

    private static List<ImageEmbedding> embeddings(GaussianClouds clouds, String encoder) {
        List<ImageEmbedding> records = new ArrayList<>();
        for (int i = 0; i < clouds.vectors().size(); i++) {
            String cloud = clouds.labels().get(i);
            ImageLabel label = cloud.equals("REAL")
                    ? ImageLabel.newBuilder().setAuthenticity(Authenticity.REAL).build()
                    : ImageLabel.newBuilder().setAuthenticity(Authenticity.FAKE).setFamily(cloud).build();
            records.add(embedding("img-" + i, clouds.vectors().get(i), encoder, label));
        }
        return records;
    }

    private static ImageEmbedding embedding(String id, float[] vector, String encoder, ImageLabel label) {
        List<Float> values = new ArrayList<>();
        for (float v : vector) {
            values.add(v);
        }
        return ImageEmbedding.newBuilder().setImageId(id).setEncodedBy(new ModelRef(encoder, "1")).setVector(values)
                .setWidth(32).setHeight(32).setSubmittedAt(Instant.EPOCH).setEmbeddedAt(Instant.EPOCH)
                .setTimings(new EmbeddingTimings(0L, 0L, 0L, 0L, 1)).setLabel(label).build();
    }
}
