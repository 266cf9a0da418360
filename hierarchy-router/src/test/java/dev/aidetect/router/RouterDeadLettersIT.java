package dev.aidetect.router;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.aidetect.kafka.KafkaBrokerTestResource;
import dev.aidetect.kafka.TopicTail;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.DeadLetter;

/**
 * The operator's garbage, on a running router and a real broker: records on {@code verdicts.*} and
 * {@code images.rejected} that are not what those topics carry, and tombstones, each become one dead letter on
 * {@code deadletters.router} with its origin and reason, one log line without a stack trace, and one count in
 * {@code aidetect_dead_letters_total}; the router stays ready.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class RouterDeadLettersIT {
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final int GARBAGE = 40;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void garbageOnItsInputsBecomesOneDeadLetterOneLogLineAndOneCountEachAndTheRouterStaysUp() throws Exception {
        await().atMost(DEADLINE).until(() -> given().get("/q/health/ready").statusCode() == 200);
        byte[] run = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        List<String> inputs = List.of(Topics.DETECTION_VERDICTS.name(), Topics.FAMILY_VERDICTS.name(),
                Topics.ATTRIBUTION_VERDICTS.name(), Topics.REJECTED.name());
        List<LogRecord> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    lines.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger("").addHandler(capture);
        try {
            // given garbage and tombstones on each input, as an operator's script wrote them
            List<ProducerRecord<String, byte[]>> bad = new ArrayList<>();
            for (int i = 0; i < GARBAGE; i++) {
                String topic = inputs.get(i % inputs.size());
                byte[] value = i % 5 == 4 ? null : ("garbage " + i).getBytes(StandardCharsets.UTF_8);
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, "junk-" + i, value);
                record.headers().add(new RecordHeader("test-run", run));
                bad.add(record);
            }
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringSerializer(),
                    new ByteArraySerializer())) {
                for (ProducerRecord<String, byte[]> record : bad) {
                    producer.send(record).get();
                }
            }

            // then each is one dead letter with its origin and reason
            List<ConsumerRecord<byte[], byte[]>> letters;
            try (TopicTail tail = new TopicTail(Topics.ROUTER_DEAD_LETTERS.name())) {
                await().atMost(DEADLINE).until(() -> tail.pollCarrying("test-run", run).size() >= GARBAGE);
                letters = tail.pollCarrying("test-run", run);
            }
            assertThat(letters).hasSize(GARBAGE);
            assertThat(letters).extracting(l -> DeadLetter.text(l.headers(), DeadLetter.REASON).orElseThrow())
                    .containsOnly("NOT_AVRO", "TOMBSTONE");
            assertThat(letters).filteredOn(l -> DeadLetter.text(l.headers(), DeadLetter.REASON).orElseThrow()
                    .equals("TOMBSTONE")).hasSize(GARBAGE / 5);
            assertThat(letters).extracting(l -> DeadLetter.originTopic(l.headers()).orElseThrow())
                    .containsOnlyElementsOf(inputs);

            // and one log line each, none with a stack trace
            List<String> aboutThem = lines.stream().map(RouterDeadLettersIT::text)
                    .filter(line -> inputs.stream().anyMatch(line::contains)).toList();
            assertThat(aboutThem).as("log lines naming the inputs").hasSize(GARBAGE)
                    .allMatch(line -> line.startsWith("Dead letter "));
            assertThat(lines).as("no stack trace").noneMatch(record -> record.getThrown() != null
                    && inputs.stream().anyMatch(text(record)::contains));

            // and counted; the router is still ready
            String metrics = given().get("/q/metrics").asString();
            assertThat(metrics).containsPattern(
                    "aidetect_dead_letters_total\\{reason=\"NOT_AVRO\",service=\"router\",topic=\"verdicts.detection\"\\} [1-9]");
            assertThat(given().get("/q/health/ready").statusCode()).isEqualTo(200);
        } finally {
            Logger.getLogger("").removeHandler(capture);
        }
    }

    private static String text(LogRecord record) {
        return record instanceof org.jboss.logmanager.ExtLogRecord ext
                ? String.valueOf(ext.getFormattedMessage())
                : String.valueOf(record.getMessage());
    }
}
