package dev.aidetect.embedder.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;

import dev.aidetect.embedding.TestSubmissions;
import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.Topics;

/**
 * Hostile submissions through the embedder, with the project's loggers at DEBUG (the most an operator turns on): URIs
 * with credentials, query strings and fragments, inline images, a corrupt one, HTML and non-Avro bytes. The service's
 * log, captured from the root logger, holds neither a secret of those URIs nor any run of the images' bytes (Base64 or
 * hex) nor the text of a payload.
 */
@QuarkusTest
@TestProfile(EmbeddingProcessorTest.InMemoryChannels.class)
class NoSecretsInLogsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** Each secret is unique, so finding it anywhere in the log can only mean it leaked. */
    private static final List<String> SECRETS = List.of("PASSWORD-SECRET-91c2", "QUERY-SECRET-5e0b",
            "SIGNATURE-SECRET-13f7", "PLAIN-SECRET-22d9", "LOCAL-SECRET-8a8a", "FILE-SECRET-0c3d",
            "FRAGMENT-SECRET-ee01", "PAYLOAD-SECRET-4d1f", "AVRO-SECRET-77aa");
    private static final List<String> HOSTILE_URIS = List.of(
            "https://alice:PASSWORD-SECRET-91c2@images.example.com/a.jpg?token=QUERY-SECRET-5e0b",
            "https://images.example.com/b.jpg?X-Amz-Signature=SIGNATURE-SECRET-13f7&X-Amz-Credential=k",
            "http://bob:PLAIN-SECRET-22d9@127.0.0.1:9/c.jpg?sig=LOCAL-SECRET-8a8a",
            "file:///etc/passwd?k=FILE-SECRET-0c3d",
            "https://images.example.com/d.jpg#FRAGMENT-SECRET-ee01");

    private static final SimpleFormatter FORMAT = new SimpleFormatter();

    @Inject
    @Any
    InMemoryConnector connector;

    private final List<String> captured = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            StringBuilder line = new StringBuilder(record.getLoggerName()).append(' ')
                    .append(record instanceof ExtLogRecord ext
                            ? ext.getFormattedMessage()
                            : FORMAT.formatMessage(record));
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.append('\n').append(trace);
            }
            synchronized (captured) {
                captured.add(line.toString());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger project = Logger.getLogger("dev.aidetect");
    private Level projectLevel;
    private long offset;

    @BeforeEach
    void captureTheLogAtDebug() {
        projectLevel = project.getLevel();
        project.setLevel(Level.FINEST);
        Logger.getLogger("").addHandler(capture);
        connector.sink(Channels.EMBEDDED).clear();
        connector.sink(Channels.REJECTED).clear();
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("").removeHandler(capture);
        project.setLevel(projectLevel);
    }

    @Test
    void logsNeitherUriCredentialsNorQueryStringsNorImageBytes() {
        // given: hostile uris, two inline images (one cut short), HTML and bytes that are not Avro
        byte[] image = TestSubmissions.jpeg(96, 64);
        byte[] corrupt = Arrays.copyOf(image, image.length / 2);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < HOSTILE_URIS.size(); i++) {
            records.add(record("hostile-uri-" + i, TestSubmissions.encode(TestSubmissions.submission("hostile-uri-" + i,
                    ImageContent.newBuilder().setUri(HOSTILE_URIS.get(i)).build()))));
        }
        records.add(record("image", TestSubmissions.encode(TestSubmissions.inline("image", image))));
        records.add(record("corrupt", TestSubmissions.encode(TestSubmissions.inline("corrupt", corrupt))));
        records.add(record("html", TestSubmissions.encode(TestSubmissions.inline("html",
                "<p>PAYLOAD-SECRET-4d1f</p>".getBytes(StandardCharsets.UTF_8)))));
        records.add(record("not-avro", "junkAVRO-SECRET-77aa and more junk".getBytes(StandardCharsets.UTF_8)));

        // when: every record has its embedding or rejection
        connector.source(Channels.INGEST).send(new ConsumerRecords<>(Map.of(
                new TopicPartition(Topics.INGEST.name(), 0), records)));
        await().atMost(DEADLINE).until(() -> connector.sink(Channels.EMBEDDED).received().size()
                + connector.sink(Channels.REJECTED).received().size() == records.size());

        // then: the capture worked (the rejections were logged) ...
        String log;
        synchronized (captured) {
            log = String.join("\n", captured);
        }
        assertThat(connector.sink(Channels.EMBEDDED).received()).as("the good image").hasSize(1);
        assertThat(log).as("the DEBUG and WARN lines of the rejections").contains("Rejected hostile-uri-0",
                "Rejected corrupt", "Bad record");
        // ... and it holds no secret, and no run of the images' bytes in any encoding
        assertThat(SECRETS).allSatisfy(secret -> assertThat(log).as("the log").doesNotContain(secret));
        assertThat(log).doesNotContain("alice", "bob");
        for (byte[] bytes : List.of(image, corrupt)) {
            assertThat(encodings(bytes)).allSatisfy(run -> assertThat(log).doesNotContain(run));
        }
        System.out.printf("hostile inputs through the embedder: %d records (%d uris with secrets), %d log lines at "
                + "DEBUG, 0 secrets, 0 image byte runs%n", records.size(), HOSTILE_URIS.size(), captured.size());
    }

    /**
     * Runs of 12 bytes (past the first 8, the format's magic numbers a rejection may name) as Base64 at each of the
     * three alignments and as hex in both cases, with and without spaces.
     */
    private static List<String> encodings(byte[] bytes) {
        List<String> runs = new ArrayList<>();
        for (int shift = 0; shift < 3; shift++) {
            String base64 = Base64.getEncoder().encodeToString(Arrays.copyOfRange(bytes, 8 + shift, bytes.length));
            for (int i = 0; i + 16 <= base64.length(); i += 16) {
                runs.add(base64.substring(i, i + 16));
            }
        }
        for (int i = 8; i + 12 <= bytes.length; i += 12) {
            byte[] run = Arrays.copyOfRange(bytes, i, i + 12);
            runs.add(HexFormat.of().formatHex(run));
            runs.add(HexFormat.of().withUpperCase().formatHex(run));
            runs.add(HexFormat.ofDelimiter(" ").formatHex(run));
            runs.add(HexFormat.ofDelimiter(" ").withUpperCase().formatHex(run));
        }
        return runs;
    }

    private ConsumerRecord<String, byte[]> record(String key, byte[] value) {
        return new ConsumerRecord<>(Topics.INGEST.name(), 0, offset++, key, value);
    }
}
