package dev.aidetect.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import dev.aidetect.kafka.KafkaEndpoint;
import dev.aidetect.kafka.TopicTail;
import dev.aidetect.schemas.kafka.DeadLetter;

/**
 * {@code aidetect redrive} on a real broker: dead letters written as the services write them go back to the topics
 * their headers name (or to {@code --to}), as they were before: key, value and the producer's own headers; a dry run
 * sends nothing.
 */
class RedriveCommandIT {
    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private final String deadLetters = "deadletters.it-" + id;
    private final String ingest = "ingest-" + id;
    private final String verdicts = "verdicts-" + id;

    @Test
    void putsEachDeadLetterBackOnItsOriginWithItsKeyValueAndHeaders() throws Exception {
        // given three dead letters from two topics, and a record that is no dead letter
        givenDeadLetters();

        // when redriven
        CliRun run = redrive("--topic", deadLetters);

        // then each went back as it was, without the dead-letter headers; the stray record is named, not sent
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("sent 2 dead letter(s) to " + ingest, "sent 1 dead letter(s) to " + verdicts,
                "reason NOT_AVRO: 2", "reason TOMBSTONE: 1", "skipped 1 record(s) without an aidetect.dlt.topic header",
                "redrove 3 dead letter(s) from " + deadLetters);
        assertThat(run.err()).contains("redriving 4/4 (100%");
        List<ConsumerRecord<byte[], byte[]>> back = readAll(ingest, 2);
        assertThat(back).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("garbage-1", "garbage-2");
        ConsumerRecord<byte[], byte[]> first = back.stream()
                .filter(r -> new String(r.value(), StandardCharsets.UTF_8).equals("garbage-1")).findFirst()
                .orElseThrow();
        assertThat(first.key()).isNull();
        assertThat(first.headers().lastHeader("trace-id").value()).isEqualTo("t-1".getBytes(StandardCharsets.UTF_8));
        assertThat(first.headers()).noneMatch(header -> header.key().startsWith(DeadLetter.PREFIX));
        ConsumerRecord<byte[], byte[]> tombstone = readAll(verdicts, 1).getFirst();
        assertThat(tombstone.value()).isNull();
        assertThat(new String(tombstone.key(), StandardCharsets.UTF_8)).isEqualTo("img-9");
    }

    @Test
    void aDryRunCountsAndSendsNothingAndToSendsEverythingToOneTopic() throws Exception {
        givenDeadLetters();
        String elsewhere = "elsewhere-" + id;
        KafkaEndpoint.createTopic(elsewhere, 1);

        CliRun dry = redrive("--topic", deadLetters, "--dry-run");
        CliRun moved = redrive("--topic", deadLetters, "--to", elsewhere);

        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("would send 2 dead letter(s) to " + ingest,
                "dry run: would redrive 3 dead letter(s) from " + deadLetters + "; nothing sent");
        assertThat(moved.exit()).as(moved.err()).isZero();
        assertThat(moved.out()).contains("sent 4 dead letter(s) to " + elsewhere);
        assertThat(readAll(elsewhere, 4)).hasSize(4);
        assertThat(readAll(ingest, 0)).as("the dry run sent nothing to the origin").isEmpty();
    }

    @Test
    void aTopicThatDoesNotExistFailsInOneLineNamingTheDeadLetterTopics() {
        CliRun run = redrive("--topic", "no-such-topic-" + id);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.errorLines()).filteredOn(line -> line.startsWith("aidetect redrive:")).singleElement()
                .asString().contains("does not exist", "deadletters.router");
    }

    private void givenDeadLetters() throws Exception {
        for (String topic : List.of(deadLetters, ingest, verdicts)) {
            KafkaEndpoint.createTopic(topic, 2);
        }
        RecordHeaders traced = new RecordHeaders();
        traced.add(new RecordHeader("trace-id", "t-1".getBytes(StandardCharsets.UTF_8)));
        List<ProducerRecord<byte[], byte[]>> letters = new ArrayList<>();
        letters.add(new DeadLetter("embedder", ingest, 0, 17, null, bytes("garbage-1"), traced, "NOT_AVRO",
                "not Avro").toRecord(deadLetters));
        letters.add(new DeadLetter("embedder", ingest, 1, 3, null, bytes("garbage-2"), null, "NOT_AVRO",
                "not Avro").toRecord(deadLetters));
        letters.add(new DeadLetter("router", verdicts, 0, 5, bytes("img-9"), null, null, "TOMBSTONE",
                "a tombstone").toRecord(deadLetters));
        letters.add(new ProducerRecord<>(deadLetters, bytes("stray"), bytes("no headers")));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaEndpoint.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> letter : letters) {
                producer.send(letter).get();
            }
        }
    }

    /** Every record of {@code topic}, once there are {@code expected} (or after 3 s of none when none are expected). */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        try (TopicTail tail = new TopicTail(topic)) {
            if (expected == 0) {
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> tail.poll().isEmpty());
            } else {
                await().atMost(Duration.ofSeconds(30)).until(() -> tail.poll().size() >= expected);
            }
            return tail.poll();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static CliRun redrive(String... args) {
        List<String> all = new ArrayList<>(List.of("redrive"));
        all.addAll(List.of(args));
        all.addAll(List.of("--bootstrap-servers", KafkaEndpoint.bootstrapServers()));
        return CliRun.of(all.toArray(String[]::new));
    }
}
