package dev.aidetect.tools.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.kafka.KafkaEndpoint;
import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.KafkaClientSettings;
import dev.aidetect.tools.IngestTail;
import dev.aidetect.tools.dataset.LabelledImage;

/**
 * {@link Submitter} on a real broker: a photo of several megabytes reaches {@code images.ingest}; one larger than the
 * topic takes is reported as not submitted, with what to do, instead of silently missing its verdict. Waiting for
 * verdicts counts what the pipeline committed for the submitted ids, and only that.
 */
class SubmitterIT {
    @TempDir
    Path dir;

    @Test
    void sendsAPhotoOfSeveralMegabytesAndReportsOneTooLargeForTheTopic() throws IOException {
        Path photo = file("photo.jpg", 3 << 20);
        Path huge = file("huge.jpg", Topics.INGEST_MAX_MESSAGE_BYTES + 1);

        Submitter.Submission submission;
        try (Submitter submitter = new Submitter(KafkaEndpoint.bootstrapServers(), "submitter-test")) {
            submission = submitter.submit(LabelledImage.collect(List.of(photo, huge)));
        }

        assertThat(submission.sent().values()).extracting(LabelledImage::file).containsExactly(photo);
        assertThat(submission.refused()).singleElement().satisfies(refusal -> {
            assertThat(refusal.image().file()).isEqualTo(huge);
            assertThat(refusal.reason()).contains("32.0 MiB is more than images.ingest takes", "max.message.bytes",
                    "by uri");
        });
    }

    @Test
    void sentImagesKeepTheirOrderAndEachGetsItsOwnId() throws IOException {
        Path a = file("b-second.png", 10);
        Path b = file("a-first.png", 10);

        Submitter.Submission submission;
        try (Submitter submitter = new Submitter(KafkaEndpoint.bootstrapServers(), "submitter-test")) {
            submission = submitter.submit(LabelledImage.collect(List.of(a, b, a)));
        }

        assertThat(submission.refused()).isEmpty();
        assertThat(submission.sent().values()).extracting(LabelledImage::file).containsExactly(a, b, a);
        assertThat(submission.sent().keySet()).hasSize(3).allMatch(id -> id.matches("(b-second|a-first)-[0-9a-f]{8}"));
    }

    @Test
    void streamsAFolderHoldingAtMostTheBoundInMemoryAndCountsEveryAnswer() throws IOException {
        // given 40 images of 256 KiB (10 MiB) and a bound of 1 MiB
        Path folder = Files.createDirectories(dir.resolve("many/real"));
        for (int i = 0; i < 40; i++) {
            Files.write(folder.resolve(String.format("img-%02d.jpg", i)), new byte[256 << 10]);
        }
        List<ImageSource> sources = LabelledImage.collect(List.of(dir.resolve("many"))).stream()
                .map(ImageSource::file).toList();
        List<Integer> answered = new CopyOnWriteArrayList<>();

        // when
        Submitter.Sent sent;
        long peak;
        try (Submitter submitter = new Submitter(KafkaClientSettings.plaintext(KafkaEndpoint.bootstrapServers()),
                "submitter-test", 1 << 20)) {
            sent = submitter.send(sources, answered::add);
            peak = submitter.peakInFlightBytes();
        }

        // then every image went, at most 1 MiB of them in memory at once, and the progress counted to the end
        assertThat(sent.refused()).isEmpty();
        assertThat(sent.sent()).hasSize(40);
        assertThat(peak).isPositive().isLessThanOrEqualTo(1 << 20);
        assertThat(answered).hasSize(40).contains(40);
    }

    @Test
    void aUriIsSentByReferenceAndAnUnreadableFileIsRefusedWithoutStoppingTheRest() throws IOException {
        Path readable = file("ok.png", 10);
        Path gone = dir.resolve("gone.png");
        String uri = "https://images.example.com/uploads/cat-" + UUID.randomUUID() + ".jpg";
        KafkaClientSettings cluster = KafkaClientSettings.plaintext(KafkaEndpoint.bootstrapServers());

        Submitter.Sent sent;
        try (IngestTail ingest = new IngestTail(cluster);
                Submitter submitter = new Submitter(cluster, "submitter-test", Submitter.DEFAULT_IN_FLIGHT_BYTES)) {
            sent = submitter.send(List.of(ImageSource.uri(uri), ImageSource.file(new LabelledImage(gone, null)),
                    ImageSource.file(new LabelledImage(readable, null))), n -> {
                    });
            String uriId = sent.sent().keySet().iterator().next();
            ImageSubmitted record = ingest.collect(r -> r.getImageId().equals(uriId), 1, Duration.ofSeconds(30))
                    .getFirst();

            assertThat(uriId).startsWith("cat-");
            assertThat(record.getImage().getUri()).isEqualTo(uri);
            assertThat(record.getImage().getContent()).isNull();
            assertThat(record.getSource()).isEqualTo("submitter-test");
        }

        assertThat(sent.sent().values()).containsExactly(ImageSource.uri(uri),
                ImageSource.file(new LabelledImage(readable, null)));
        assertThat(sent.refused()).singleElement().satisfies(refused -> {
            assertThat(refused.source().image().file()).isEqualTo(gone);
            assertThat(refused.reason()).isEqualTo("cannot read it: no such file: " + gone);
        });
    }

    @Test
    void returnsTheVerdictOfEachWantedIdIgnoresOthersAndLeavesAMissingOneEmpty() throws Exception {
        String wanted = id("wanted");
        String missing = id("missing");
        String other = id("other");
        List<FinalVerdict> handed = new ArrayList<>();

        Map<String, List<FinalVerdict>> seen;
        try (Submitter submitter = new Submitter(KafkaEndpoint.bootstrapServers(), "submitter-test")) {
            publish(verdict(wanted), verdict(other));
            seen = submitter.await(List.of(wanted, missing), Duration.ofSeconds(3), Duration.ofSeconds(1),
                    handed::add);
        }

        assertThat(seen).containsOnlyKeys(wanted, missing);
        assertThat(seen.get(wanted)).extracting(FinalVerdict::getImageId).containsExactly(wanted);
        assertThat(seen.get(missing)).isEmpty();
        assertThat(handed).extracting(FinalVerdict::getImageId).containsExactly(wanted);
    }

    @Test
    void aDuplicateThatArrivesWithinTheGraceIsCaughtAndTheWaitEndsAfterIt() throws Exception {
        String id = id("twice");
        long start = System.nanoTime();

        Map<String, List<FinalVerdict>> seen;
        try (Submitter submitter = new Submitter(KafkaEndpoint.bootstrapServers(), "submitter-test")) {
            publish(verdict(id));
            List<FinalVerdict> handed = new ArrayList<>();
            seen = submitter.await(List.of(id), Duration.ofSeconds(60), Duration.ofSeconds(3), v -> {
                handed.add(v);
                if (handed.size() == 1) {
                    publish(verdict(id));
                }
            });
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(seen.get(id)).hasSize(2);
        assertThat(took).as("ends after the grace, not at the timeout").isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void verdictsOnTheTopicBeforeTheSubmitterStartedDoNotCount() throws Exception {
        String id = id("old");
        publish(verdict(id));

        Map<String, List<FinalVerdict>> seen;
        try (Submitter submitter = new Submitter(KafkaEndpoint.bootstrapServers(), "submitter-test")) {
            seen = submitter.await(List.of(id), Duration.ofSeconds(2), Duration.ofSeconds(1), v -> {
            });
        }

        assertThat(seen.get(id)).isEmpty();
    }

    @Test
    void aVerdictOfAnAbortedRouterTransactionDoesNotCount() throws Exception {
        String aborted = id("aborted");
        String committed = id("committed");

        Map<String, List<FinalVerdict>> seen;
        try (Submitter submitter = new Submitter(KafkaEndpoint.bootstrapServers(), "submitter-test")) {
            transactionally(verdict(aborted), false);
            transactionally(verdict(committed), true);
            seen = submitter.await(List.of(aborted, committed), Duration.ofSeconds(5), Duration.ofSeconds(1), v -> {
            });
        }

        assertThat(seen.get(committed)).hasSize(1);
        assertThat(seen.get(aborted)).isEmpty();
    }

    private Path file(String name, int size) throws IOException {
        return Files.write(dir.resolve(name), new byte[size]);
    }

    private static String id(String stem) {
        return stem + "-" + UUID.randomUUID();
    }

    private static FinalVerdict verdict(String id) {
        return FinalVerdict.newBuilder().setImageId(id).setStatus(FinalStatus.DECIDED)
                .setAuthenticity(Authenticity.REAL).setFinalizedAt(Instant.now()).build();
    }

    private static void publish(FinalVerdict... verdicts) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (FinalVerdict v : verdicts) {
            records.add(new ProducerRecord<>(Topics.FINAL.name(), v.getImageId(),
                    Topics.FINAL.valueSerde().serializer().serialize(Topics.FINAL.name(), v)));
        }
        try {
            KafkaEndpoint.produce(records);
        } catch (Exception e) {
            throw new AssertionError("cannot publish test verdicts: " + e, e);
        }
    }

    /** As the router writes verdicts: in a transaction, committed or aborted. */
    private static void transactionally(FinalVerdict v, boolean commit) {
        try (KafkaProducer<String, FinalVerdict> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaEndpoint.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "submitter-it-" + UUID.randomUUID()),
                Topics.FINAL.keySerde().serializer(), Topics.FINAL.valueSerde().serializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(Topics.FINAL.name(), v.getImageId(), v));
            producer.flush();
            if (commit) {
                producer.commitTransaction();
            } else {
                producer.abortTransaction();
            }
        }
    }
}
