package dev.aidetect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageSubmissions;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.Topics;
import dev.aidetect.tools.dataset.LabelledImage;
import dev.aidetect.tools.submit.Submitter;
import dev.aidetect.tools.submit.VerdictReport;

/**
 * A transient failure of the store an image is submitted from is retried, not turned into a rejection: the packaged
 * pipeline on a real broker fetches an image by {@code uri} from a local HTTP server that answers 503 twice before it
 * serves the image, and the image is DECIDED.
 */
@ExtendWith(RunningPipeline.Provider.class)
class UriRetryEndToEndIT {

    @Test
    void anImageWhoseStoreFailsTwiceWith503ThenAnswersIsDecided(RunningPipeline pipeline) throws Exception {
        // given: a real photograph of the samples, served from a store that fails twice, then answers
        LabelledImage photo = LabelledImage.collect(List.of(pipeline.samples())).stream()
                .filter(image -> !image.file().getParent().endsWith("broken") && image.label() != null
                        && image.label().getAuthenticity() == Authenticity.REAL)
                .findFirst().orElseThrow(() -> new AssertionError("no real sample in " + pipeline.samples()));
        byte[] bytes = Files.readAllBytes(photo.file());
        List<Integer> answered = new CopyOnWriteArrayList<>();
        HttpServer store = HttpServer.create(
                new InetSocketAddress(InetAddress.getByName(RunningPipeline.IMAGE_HOST), 0), 0);
        store.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        store.createContext("/images/", exchange -> {
            int status = answered.size() < 2 ? 503 : 200;
            answered.add(status);
            respond(exchange, status, status == 200 ? bytes : new byte[0]);
        });
        store.start();
        String uri = "http://" + RunningPipeline.IMAGE_HOST + ":" + store.getAddress().getPort() + "/images/"
                + photo.file().getFileName();

        try (Submitter verdicts = new Submitter(pipeline.stack().bootstrapServers(), "e2e-uri-retry")) {
            // when: it is submitted by uri
            String id = ImageSubmissions.newImageId("uri-retry");
            submitByUri(pipeline, id, uri, photo);
            Map<String, List<FinalVerdict>> finals = verdicts.await(List.of(id), Duration.ofMinutes(3),
                    Duration.ofSeconds(5), v -> {
                    });

            // then: exactly one final verdict, DECIDED, after the two failures and the answer
            new VerdictReport(new PrintWriter(System.out, true)).summary(finals);
            FinalVerdicts.assertExactlyOneEach(List.of(id), finals);
            FinalVerdict verdict = finals.get(id).getFirst();
            assertThat(verdict.getStatus()).as("final verdict of %s: %s", uri, verdict)
                    .isEqualTo(FinalStatus.DECIDED);
            assertThat(verdict.getLabel()).as("label passes through").isEqualTo(photo.label());
            assertThat(answered).as("what the store answered the embedder's fetches").startsWith(503, 503, 200);
        } finally {
            store.stop(0);
        }
    }

    private static void submitByUri(RunningPipeline pipeline, String id, String uri, LabelledImage photo)
            throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.stack().bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        ImageSubmitted submission = ImageSubmitted.newBuilder().setImageId(id).setSubmittedAt(Instant.now())
                .setSource("e2e-uri-retry").setImage(ImageContent.newBuilder().setUri(uri).build())
                .setLabel(photo.label()).setAttributes(Map.of("file", photo.file().getFileName().toString()))
                .build();
        try (var producer = new KafkaProducer<>(props, Topics.INGEST.keySerde().serializer(),
                Topics.INGEST.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.INGEST.name(), id, submission)).get();
        }
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
