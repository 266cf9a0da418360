package dev.aidetect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageSubmissions;
import dev.aidetect.schemas.ModelRef;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.AvroSerializer;
import dev.aidetect.tools.dataset.LabelledImage;
import dev.aidetect.tools.samples.BadInputCorpus;
import dev.aidetect.tools.samples.BadInputCorpus.BadInput;
import dev.aidetect.tools.stack.LocalStack;
import dev.aidetect.tools.submit.ImageSource;
import dev.aidetect.tools.submit.Submitter;

/**
 * The bad-input corpus through the packaged pipeline: every file ends in exactly one final verdict, the one the corpus
 * names (a specific rejection reason with a message, or decided), and so do records on {@code images.ingest} that are
 * not submissions at all (not Avro, another record's Avro, an unknown schema fingerprint, a tombstone), keyed by the id
 * the producer meant. Afterwards the services still judge an ordinary image: nothing died of it.
 */
@ExtendWith(RunningPipeline.Provider.class)
class BadInputCorpusEndToEndIT {
    private static LocalStack stack;
    private static Path samples;
    private static Path logs;

    @BeforeAll
    static void usePipeline(RunningPipeline pipeline) {
        stack = pipeline.stack();
        samples = pipeline.samples();
        logs = pipeline.workDir().resolve("logs");
    }

    @TempDir
    Path dir;

    @Test
    void everyBadInputEndsInExactlyOneFinalVerdictWithTheReasonTheCorpusNames() throws Exception {
        List<Path> files = BadInputCorpus.write(dir.resolve("corpus"));
        Map<String, BadInput> byName = new LinkedHashMap<>();
        BadInputCorpus.files().forEach(input -> byName.put(input.name(), input));
        List<LabelledImage> images = new ArrayList<>(files.stream().map(f -> new LabelledImage(f, null)).toList());
        LabelledImage ordinary = LabelledImage.collect(List.of(samples.resolve("real"))).getFirst();

        HttpServer store = hostileStore();
        String base = "http://" + RunningPipeline.IMAGE_HOST + ":" + store.getAddress().getPort();
        int port = store.getAddress().getPort();
        // Each uri and the reason it must end with: the embedder's guarded fetcher refuses the scheme or the address
        // before connecting, or the answer it got.
        Map<String, RejectReason> uris = new LinkedHashMap<>();
        uris.put("file:///etc/passwd", RejectReason.FETCH_FAILED);
        uris.put("ftp://" + RunningPipeline.IMAGE_HOST + "/photo.jpg", RejectReason.FETCH_FAILED);
        uris.put("gopher://" + RunningPipeline.IMAGE_HOST + ":" + port + "/photo.jpg", RejectReason.FETCH_FAILED);
        uris.put("http://169.254.169.254/latest/meta-data/iam/security-credentials/", RejectReason.FETCH_FAILED);
        uris.put("http://10.1.2.3/photo.jpg", RejectReason.FETCH_FAILED);
        uris.put("http://[::1]:" + port + "/photo.jpg", RejectReason.FETCH_FAILED);
        uris.put("http://localhost:" + port + "/photo.jpg", RejectReason.FETCH_FAILED);
        uris.put("http://user:secret@" + RunningPipeline.IMAGE_HOST + ":" + port + "/missing.jpg?token=abc",
                RejectReason.FETCH_FAILED);
        uris.put(base + "/redirect-to-metadata.jpg", RejectReason.FETCH_FAILED);
        uris.put(base + "/oversized.jpg", RejectReason.TOO_LARGE);
        uris.put(base + "/endless.jpg", RejectReason.TOO_LARGE);
        uris.put(base + "/slow-loris.jpg", RejectReason.UNAVAILABLE);
        uris.put(base + "/html.jpg", RejectReason.NOT_AN_IMAGE);
        Map<String, String> uriIds = new LinkedHashMap<>();

        Map<String, RecordCase> records = new LinkedHashMap<>();
        Map<String, List<FinalVerdict>> verdicts;
        Map<String, LabelledImage> sent;
        String afterwards;
        Instant started = Instant.now();
        try (Submitter submitter = new Submitter(stack.bootstrapServers(), "bad-inputs")) {
            Submitter.Submission submission = submitter.submit(images);
            assertThat(submission.refused()).as("files the broker refused").isEmpty();
            sent = new LinkedHashMap<>(submission.sent());
            for (RecordCase kind : RecordCase.values()) {
                String id = ImageSubmissions.newImageId(kind.name().toLowerCase().replace('_', '-'));
                records.put(id, kind);
                RawIngest.send(stack.bootstrapServers(), id, kind.bytes());
            }
            Submitter.Sent byUri = submitter.send(uris.keySet().stream().map(ImageSource::uri).toList(), n -> {
            });
            assertThat(byUri.refused()).as("uris the broker refused").isEmpty();
            byUri.sent().forEach((id, source) -> uriIds.put(id, source.uri()));
            afterwards = submitter.submit(List.of(ordinary)).sent().keySet().iterator().next();
            List<String> ids = new ArrayList<>(sent.keySet());
            ids.addAll(uriIds.keySet());
            ids.addAll(records.keySet());
            ids.add(afterwards);
            verdicts = submitter.await(ids, Duration.ofMinutes(4), Duration.ofSeconds(5), v -> {
            });
        } finally {
            store.stop(0);
        }

        FinalVerdicts.assertExactlyOneEach(verdicts.keySet(), verdicts);
        System.out.printf("%d corpus files and %d bad records in %d s%n", sent.size(), records.size(),
                Duration.between(started, Instant.now()).toSeconds());
        for (var entry : sent.entrySet()) {
            BadInput input = byName.get(entry.getValue().file().getFileName().toString());
            FinalVerdict verdict = verdicts.get(entry.getKey()).getFirst();
            String ending = verdict.getStatus() == FinalStatus.REJECTED
                    ? verdict.getRejection().getReason() + " at " + verdict.getRejection().getStage() + ": "
                            + verdict.getRejection().getMessage()
                    : verdict.getStatus() + " " + verdict.getAuthenticity();
            System.out.printf("  %-26s %s%n", input.name(), ending);
            if (input.reason().isPresent()) {
                assertThat(verdict.getStatus()).as(input.name()).isEqualTo(FinalStatus.REJECTED);
                assertThat(verdict.getRejection().getReason()).as(input.name() + ": " + ending)
                        .isEqualTo(input.reason().get());
                assertThat(verdict.getRejection().getMessage()).as(input.name()).isNotBlank();
            } else {
                assertThat(verdict.getStatus()).as(input.name() + ": " + ending).isEqualTo(FinalStatus.DECIDED);
            }
        }
        for (var entry : uriIds.entrySet()) {
            String uri = entry.getValue();
            FinalVerdict verdict = verdicts.get(entry.getKey()).getFirst();
            String ending = verdict.getStatus() + (verdict.getRejection() == null
                    ? ""
                    : " " + verdict.getRejection().getReason() + ": " + verdict.getRejection().getMessage());
            System.out.printf("  %-60s %s%n", uri, ending);
            assertThat(verdict.getStatus()).as(uri).isEqualTo(FinalStatus.REJECTED);
            assertThat(verdict.getRejection().getReason()).as(uri + ": " + ending).isEqualTo(uris.get(uri));
            assertThat(verdict.getRejection().getMessage()).as("no credentials or query string in the message")
                    .doesNotContain("secret").doesNotContain("token=abc");
            assertThat(Files.readString(logs.resolve("embedder-service.log"))).as("the embedder's log")
                    .doesNotContain("user:secret").doesNotContain("token=abc");
        }
        for (var entry : records.entrySet()) {
            FinalVerdict verdict = verdicts.get(entry.getKey()).getFirst();
            System.out.printf("  %-26s %s %s: %s%n", entry.getValue(), verdict.getStatus(),
                    verdict.getRejection() == null ? "" : verdict.getRejection().getReason(),
                    verdict.getRejection() == null ? "" : verdict.getRejection().getMessage());
            assertThat(verdict.getStatus()).as(entry.getValue().name()).isEqualTo(FinalStatus.REJECTED);
            assertThat(verdict.getRejection().getReason()).as(entry.getValue().name())
                    .isEqualTo(RejectReason.BAD_RECORD);
            assertThat(verdict.getRejection().getMessage()).isNotBlank();
        }
        assertThat(verdicts.get(afterwards).getFirst().getStatus()).as("an ordinary image after the corpus")
                .isEqualTo(FinalStatus.DECIDED);
    }

    /**
     * An image store on the address the services may fetch from, answering like a hostile or broken one: a redirect to
     * the cloud metadata address, a declared 25 MiB body, an endless body without a length, one byte a second, and an
     * HTML page served as image/jpeg.
     */
    private static HttpServer hostileStore() throws IOException {
        HttpServer store = HttpServer.create(
                new InetSocketAddress(InetAddress.getByName(RunningPipeline.IMAGE_HOST), 0), 0);
        store.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        store.createContext("/redirect-to-metadata.jpg", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        store.createContext("/oversized.jpg", exchange -> {
            exchange.sendResponseHeaders(200, 25L << 20);
            writeUntilClosed(exchange, 25L << 20, 0);
        });
        store.createContext("/endless.jpg", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            writeUntilClosed(exchange, Long.MAX_VALUE, 0);
        });
        store.createContext("/slow-loris.jpg", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            writeUntilClosed(exchange, 600, 1000);
        });
        store.createContext("/html.jpg", exchange -> {
            byte[] page = "<!DOCTYPE html><html><body>Sign in to view this photo</body></html>".getBytes();
            exchange.getResponseHeaders().add("Content-Type", "image/jpeg");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
        });
        store.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        store.start();
        return store;
    }

    /** Writes up to {@code total} bytes in 64 KiB pieces (one byte per {@code pauseMillis} when set) until the client goes. */
    private static void writeUntilClosed(HttpExchange exchange, long total, long pauseMillis) {
        byte[] piece = new byte[pauseMillis > 0 ? 1 : 64 * 1024];
        try (OutputStream out = exchange.getResponseBody()) {
            for (long written = 0; written < total; written += piece.length) {
                out.write(piece, 0, (int) Math.min(piece.length, total - written));
                if (pauseMillis > 0) {
                    out.flush();
                    Thread.sleep(pauseMillis);
                }
            }
        } catch (IOException e) {
            // The fetcher hung up, as it should.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records on images.ingest that are not a usable ImageSubmitted. */
    private enum RecordCase {
        NOT_AVRO, ANOTHER_RECORD, UNKNOWN_FINGERPRINT, TOMBSTONE, HEADER_ONLY;

        byte[] bytes() {
            byte[] embedding = new AvroSerializer().serialize(Topics.INGEST.name(),
                    new ModelRef("a record of another type", "1"));
            return switch (this) {
                case NOT_AVRO -> "{\"imageId\": \"this is JSON, not Avro\"}".getBytes();
                case ANOTHER_RECORD -> embedding;
                case UNKNOWN_FINGERPRINT -> {
                    byte[] bytes = embedding.clone();
                    Arrays.fill(bytes, 2, 10, (byte) 0x5A);
                    yield bytes;
                }
                case TOMBSTONE -> null;
                case HEADER_ONLY -> Arrays.copyOf(embedding, 10);
            };
        }
    }
}
