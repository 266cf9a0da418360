package dev.aidetect.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.heads.attribution.AttributionNetwork;
import dev.aidetect.kafka.KafkaEndpoint;
import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.Topics;
import dev.aidetect.tools.dataset.LabelledImage;
import dev.aidetect.tools.samples.SampleSetWriter;
import dev.aidetect.tools.samples.SyntheticGenerator;

import picocli.CommandLine;

/**
 * {@code train attribution --topic} on a real broker: labelled {@code ImageSubmitted} records of two gan generators
 * train the gan network as the same images in a folder would; unlabelled, uri-only and undecodable records are
 * counted and left out.
 */
class TrainAttributionFromTopicIT {
    @TempDir
    Path dir;

    @Test
    void trainsTheFamilysNetworkFromLabelledRecordsAndCountsTheOnesLeftOut() throws Exception {
        SampleSetWriter.write(dir.resolve("samples"),
                List.of(SyntheticGenerator.UPCONV_GAN, SyntheticGenerator.PIXELSHUFFLE_GAN), 20, 64, 5, false, n -> {
                });
        List<ImageSubmitted> records = new ArrayList<>();
        for (LabelledImage image : LabelledImage.collect(List.of(dir.resolve("samples")))) {
            records.add(submitted(image.file().getFileName().toString(),
                    ImageContent.newBuilder().setContent(ByteBuffer.wrap(Files.readAllBytes(image.file()))).build())
                    .setLabel(image.label()).build());
        }
        records.add(submitted("unlabelled", ImageContent.newBuilder().setContent(ByteBuffer.wrap(new byte[]{1}))
                .build()).build());
        records.add(submitted("by-uri", ImageContent.newBuilder().setUri("file:///nowhere.png").build())
                .setLabel(records.getFirst().getLabel()).build());
        String topic = "ingest-" + UUID.randomUUID();
        TestTopics.fill(topic, 2, Topics.INGEST, records, ImageSubmitted::getImageId);

        List<Path> replayFoldersBefore = replayFolders();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            exit = AidetectCli.commandLine().execute("train", "attribution", "--topic", topic, "--bootstrap",
                    KafkaEndpoint.bootstrapServers(), "--epochs", "1", "--crop", "32", "--out",
                    dir.resolve("models").toString());
        } finally {
            System.setOut(original);
        }

        assertThat(exit).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("replayed 40 labelled fakes from " + topic,
                "1 unlabelled", "1 without inline content (uri only)", "1 not ImageSubmitted records");
        try (AttributionNetwork network = AttributionNetwork.load(dir.resolve("models").resolve("attribution-gan"))) {
            assertThat(network.metadata().family()).isEqualTo("gan");
            assertThat(network.metadata().classes()).containsExactly("pixelshuffle-gan", "upconv-gan");
        }
        assertThat(dir.resolve("models")).isDirectoryNotContaining(p -> !p.endsWith("attribution-gan"));
        assertThat(replayFolders()).as("the temporary folder of the replayed images is deleted")
                .isEqualTo(replayFoldersBefore);
    }

    private static List<Path> replayFolders() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("aidetect-replay-")).sorted().toList();
        }
    }

    @Test
    void imagesAndTopicAreTwoSourcesOfTheSameDataSoOnlyOneMayBeGiven() {
        assertThat(run("train", "attribution", "--images", "x", "--topic", "images.ingest"))
                .contains("give either --images or --topic, not both");
        assertThat(run("train", "attribution")).contains("give --images", "--topic", "or --import");
    }

    private static String run(String... args) {
        CommandLine cli = AidetectCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute(args)).isEqualTo(2);
        return err.toString();
    }

    private static ImageSubmitted.Builder submitted(String id, ImageContent image) {
        return ImageSubmitted.newBuilder().setImageId(id).setSubmittedAt(Instant.EPOCH).setSource("test")
                .setImage(image);
    }
}
