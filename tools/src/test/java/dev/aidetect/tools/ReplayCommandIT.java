package dev.aidetect.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.kafka.KafkaEndpoint;
import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.KafkaClientSettings;
import dev.aidetect.tools.submit.Replayer;

/**
 * {@code aidetect replay} on a real broker: a recorded, labelled topic and a labelled folder become a new run on
 * {@code images.ingest}, with ids that follow from the run and the originals, so running it again gives the same ids.
 */
class ReplayCommandIT {
    private static final ImageLabel GAN = new ImageLabel(Authenticity.FAKE, "gan", "upconv-gan", "recorded");
    private static final ImageLabel REAL = new ImageLabel(Authenticity.REAL, null, null, "recorded");

    @TempDir
    Path dir;

    private final KafkaClientSettings cluster = KafkaClientSettings.plaintext(KafkaEndpoint.bootstrapServers());

    @Test
    void aRecordedTopicBecomesANewRunWithTheSameIdsEachTime() throws Exception {
        // given a recorded topic: two labelled images (one by uri) and a record that is not ImageSubmitted
        String topic = "recorded-" + UUID.randomUUID();
        List<ImageSubmitted> originals = List.of(
                original("orig-gan-1", GAN, ImageContent.newBuilder().setContent(ByteBuffer.wrap(new byte[]{7, 7}))
                        .build()),
                original("orig-real-2", REAL, ImageContent.newBuilder().setUri("https://img.example/b.jpg").build()));
        TestTopics.fill(topic, 2, Topics.INGEST, originals, ImageSubmitted::getImageId);
        String run = "it-" + UUID.randomUUID().toString().substring(0, 8);
        Predicate<ImageSubmitted> ofRun = r -> run.equals(r.getAttributes().get("run"));

        // when replayed twice
        List<ImageSubmitted> first;
        List<ImageSubmitted> both;
        CliRun once;
        try (IngestTail ingest = new IngestTail(cluster)) {
            once = replay("--from-topic", topic, "--run", run);
            first = ingest.collect(ofRun, 2, Duration.ofSeconds(30));
            CliRun twice = replay("--from-topic", topic, "--run", run);
            assertThat(twice.exit()).as(twice.err()).isZero();
            both = ingest.collect(ofRun, 4, Duration.ofSeconds(30));
        }

        // then each original is one new case of the run, the same ids both times
        assertThat(once.exit()).as(once.err()).isZero();
        assertThat(once.out()).contains("replayed 2 images from topic " + topic + " as run " + run,
                "skipped 1 records that are not ImageSubmitted");
        assertThat(first).extracting(ImageSubmitted::getImageId).containsExactlyInAnyOrder(
                Replayer.replayId(run, "orig-gan-1"), Replayer.replayId(run, "orig-real-2"));
        assertThat(both).extracting(ImageSubmitted::getImageId).containsOnlyElementsOf(
                first.stream().map(ImageSubmitted::getImageId).toList());
        ImageSubmitted gan = first.stream().filter(r -> r.getLabel().equals(GAN)).findFirst().orElseThrow();
        assertThat(gan.getAttributes()).containsEntry("run", run).containsEntry("original-image-id", "orig-gan-1")
                .containsEntry("original-source", "platform-x").containsEntry("camera", "phone");
        assertThat(gan.getSource()).isEqualTo("replay:" + run);
        assertThat(gan.getImage().getContent()).isEqualTo(ByteBuffer.wrap(new byte[]{7, 7}));
        assertThat(first.stream().filter(r -> r.getLabel().equals(REAL)).findFirst().orElseThrow().getImage()
                .getUri()).isEqualTo("https://img.example/b.jpg");
    }

    @Test
    void aLabelledFolderBecomesARunWhoseOriginalIdsAreThePathsInIt() throws Exception {
        Path set = dir.resolve("set");
        Files.createDirectories(set.resolve("real"));
        Files.createDirectories(set.resolve("fake/diffusion/latent-diffusion"));
        Files.write(set.resolve("real/r-1.jpg"), new byte[]{1});
        Files.write(set.resolve("fake/diffusion/latent-diffusion/f-1.png"), new byte[]{2});
        String run = "dir-" + UUID.randomUUID().toString().substring(0, 8);

        List<ImageSubmitted> replayed;
        CliRun run1;
        try (IngestTail ingest = new IngestTail(cluster)) {
            run1 = replay("--from-dir", set.toString(), "--run", run);
            replayed = ingest.collect(r -> run.equals(r.getAttributes().get("run")), 2, Duration.ofSeconds(30));
        }

        assertThat(run1.exit()).as(run1.err()).isZero();
        assertThat(replayed).extracting(r -> r.getAttributes().get("original-image-id"))
                .containsExactlyInAnyOrder("real/r-1.jpg", "fake/diffusion/latent-diffusion/f-1.png");
        ImageSubmitted fake = replayed.stream().filter(r -> r.getLabel().getAuthenticity() == Authenticity.FAKE)
                .findFirst().orElseThrow();
        assertThat(fake.getImageId()).isEqualTo(Replayer.replayId(run, "fake/diffusion/latent-diffusion/f-1.png"));
        assertThat(fake.getLabel().getGenerator()).isEqualTo("latent-diffusion");
        assertThat(fake.getSource()).isEqualTo("replay:" + run);
    }

    @Test
    void aTopicThatDoesNotExistFailsInOneLineNamingIt() {
        CliRun run = replay("--from-topic", "no-such-topic-" + UUID.randomUUID(), "--run", "r1");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.errorLines()).filteredOn(line -> line.startsWith("aidetect replay:")).singleElement()
                .asString().contains("does not exist on " + KafkaEndpoint.bootstrapServers());
    }

    private static CliRun replay(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "replay";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--bootstrap-servers";
        all[args.length + 2] = KafkaEndpoint.bootstrapServers();
        return CliRun.of(all);
    }

    private static ImageSubmitted original(String id, ImageLabel label, ImageContent content) {
        return ImageSubmitted.newBuilder().setImageId(id).setSubmittedAt(Instant.parse("2026-01-01T00:00:00Z"))
                .setSource("platform-x").setLabel(label).setImage(content).setAttributes(Map.of("camera", "phone"))
                .build();
    }
}
