package dev.aidetect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.imageio.ImageIO;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import dev.aidetect.imaging.Jpegs;
import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.schemas.ImageSubmissions;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.Topics;
import dev.aidetect.tools.dataset.LabelledImage;
import dev.aidetect.tools.samples.SampleSetWriter;
import dev.aidetect.tools.samples.SyntheticGenerator;
import dev.aidetect.tools.stack.LocalStack;
import dev.aidetect.tools.submit.Submitter;
import dev.aidetect.tools.submit.VerdictReport;

/**
 * Phone-size fakes all the way down the hierarchy (issue 13): 12 MP JPEGs (4000 x 3000) of both families, each sent
 * inline (the bytes on images.ingest) and by uri (a local HTTP server). No record after images.ingest carries the
 * pixels; the attribution stage reads them back from the submission's record or fetches the uri, and every image
 * ends DECIDED, FAKE, with the family and the generator it was made by.
 */
@ExtendWith(RunningPipeline.Provider.class)
class PhonePhotosByReferenceEndToEndIT {
    private static final String SOURCE = "phone-photos-e2e";
    private static final int WIDTH = 4000;
    private static final int HEIGHT = 3000;
    /**
     * Fakes the demo models call FAKE, with their family and generator, once made 12 MP as below: from the stand-in
     * generators' sample set written with seed 99, 8 images per generator at the demo's 224 px. The demo models are
     * trained deterministically (same STAMP, same versions on every machine); if they change, a fake may no longer be
     * called FAKE at 12 MP: print the models' decisions on the sample set and pick others.
     */
    private static final List<String> FAKES = List.of("upconv-gan-0000", "upconv-gan-0006", "latent-diffusion-0002",
            "latent-diffusion-0006");
    private static final List<SyntheticGenerator> GENERATORS = List.of(SyntheticGenerator.UPCONV_GAN,
            SyntheticGenerator.PIXELSHUFFLE_GAN, SyntheticGenerator.LATENT_DIFFUSION,
            SyntheticGenerator.CASCADE_DIFFUSION);

    private static LocalStack stack;

    @BeforeAll
    static void usePipeline(RunningPipeline pipeline) {
        stack = pipeline.stack();
    }

    @TempDir
    Path dir;

    @Test
    void twelveMegapixelFakesSentInlineAndByUriAreDecidedWithTheirFamilyAndGenerator() throws Exception {
        // given 12 MP JPEG fakes of both families, as files under fake/<family>/<generator>/ and on an HTTP server
        List<LabelledImage> photos = twelveMegapixelFakes();
        Map<String, byte[]> served = new ConcurrentHashMap<>();
        for (LabelledImage photo : photos) {
            served.put("/photos/" + photo.file().getFileName(), Files.readAllBytes(photo.file()));
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(RunningPipeline.IMAGE_HOST, 0), 0);
        server.createContext("/photos/", exchange -> {
            byte[] body = served.get(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (body != null) {
                    out.write(body);
                }
            }
        });
        server.start();
        Map<String, ImageLabel> sent = new LinkedHashMap<>();
        Map<String, List<FinalVerdict>> verdicts;
        try (Submitter submitter = new Submitter(stack.bootstrapServers(), SOURCE)) {
            // when each is submitted inline and by uri
            Submitter.Submission inline = submitter.submit(photos);
            assertThat(inline.refused()).as("images the broker refused").isEmpty();
            inline.sent().forEach((id, photo) -> sent.put(id, photo.label()));
            sent.putAll(submitByUri(photos, "http://" + RunningPipeline.IMAGE_HOST + ":"
                    + server.getAddress().getPort() + "/photos/"));
            verdicts = submitter.await(sent.keySet(), Duration.ofMinutes(4), Duration.ofSeconds(5), v -> {
            });
        } finally {
            server.stop(0);
        }

        // then each ends in exactly one final verdict: decided along the whole hierarchy, named as it was made
        new VerdictReport(new PrintWriter(System.out, true)).summary(verdicts);
        FinalVerdicts.assertExactlyOneEach(sent.keySet(), verdicts);
        sent.forEach((id, label) -> {
            FinalVerdict verdict = verdicts.get(id).getFirst();
            String what = id + " (" + label.getGenerator() + "): " + verdict;
            assertThat(verdict.getStatus()).as(what).isEqualTo(FinalStatus.DECIDED);
            assertThat(verdict.getAuthenticity()).as(what).isEqualTo(Authenticity.FAKE);
            assertThat(verdict.getPath().stream().map(s -> s.getStage()).toList()).as(what)
                    .containsExactly(Stage.DETECTION, Stage.FAMILY, Stage.ATTRIBUTION);
            assertThat(verdict.getFamily()).as(what).isEqualTo(label.getFamily());
            assertThat(verdict.getGenerator()).as(what).isEqualTo(label.getGenerator());
        });
    }

    /** Sends each photo as a submission that names its uri under {@code base}; returns the ids sent, with labels. */
    private static Map<String, ImageLabel> submitByUri(List<LabelledImage> photos, String base) throws Exception {
        Map<String, ImageLabel> sent = new LinkedHashMap<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            for (LabelledImage photo : photos) {
                String id = ImageSubmissions.newImageId("by-uri-" + photo.label().getGenerator());
                ImageSubmitted submission = ImageSubmitted.newBuilder().setImageId(id).setSubmittedAt(Instant.now())
                        .setSource(SOURCE).setLabel(photo.label())
                        .setImage(new ImageContent("image/jpeg", null, base + photo.file().getFileName())).build();
                producer.send(new ProducerRecord<>(Topics.INGEST.name(), id,
                        Topics.INGEST.valueSerde().serializer().serialize(Topics.INGEST.name(), submission))).get();
                sent.put(id, photo.label());
            }
        }
        return sent;
    }

    /**
     * The chosen fakes, each made a 4000 x 3000 JPEG (quality 0.95) the way a photo of a generated image would reach
     * each stage: the embedder resizes the whole photo to CLIP's 224 px and keeps its centre, so the centre 3000 x 3000
     * is the fake scaled up (nearest neighbour); attribution crops the photo's centre at native resolution, so the
     * fake's own pixels sit there, its centre crop on the photo's.
     */
    private List<LabelledImage> twelveMegapixelFakes() throws IOException {
        Path samples = dir.resolve("samples");
        SampleSetWriter.write(samples, GENERATORS, 8, 224, 99, false, n -> {
        });
        Path photos = dir.resolve("photos");
        List<Path> written = new ArrayList<>();
        for (LabelledImage sample : LabelledImage.collect(List.of(samples))) {
            String name = sample.file().getFileName().toString().replace(".png", "");
            if (!FAKES.contains(name)) {
                continue;
            }
            Path folder = Files.createDirectories(photos.resolve(samples.relativize(sample.file().getParent())));
            Path photo = folder.resolve(name + "-12mp.jpg");
            Files.write(photo, Jpegs.encode(twelveMegapixels(ImageIO.read(sample.file().toFile())), 0.95f));
            written.add(photo);
        }
        assertThat(written).as("the chosen fakes in the sample set").hasSize(FAKES.size());
        List<LabelledImage> labelled = LabelledImage.collect(List.of(photos));
        assertThat(labelled).allSatisfy(photo -> {
            assertThat(photo.label().getAuthenticity()).isEqualTo(Authenticity.FAKE);
            assertThat(Files.size(photo.file())).as("over Kafka's default 1 MiB record").isGreaterThan(1L << 20);
        });
        return labelled;
    }

    private static BufferedImage twelveMegapixels(BufferedImage fake) {
        BufferedImage photo = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = photo.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(fake, 0, 0, WIDTH, HEIGHT, null);
        g.drawImage(fake, (WIDTH - HEIGHT) / 2, 0, HEIGHT, HEIGHT, null);
        g.drawImage(fake, (WIDTH - fake.getWidth()) / 2, (HEIGHT - fake.getHeight()) / 2, null);
        g.dispose();
        return photo;
    }
}
