package dev.aidetect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.Topics;
import dev.aidetect.tools.samples.BrokenSample;
import dev.aidetect.tools.stack.LocalStack;
import dev.aidetect.tools.submit.LabelledImage;
import dev.aidetect.tools.submit.Submitter;
import dev.aidetect.tools.submit.VerdictReport;

/**
 * The whole pipeline, every service its own process (the packaged Quarkus applications), on a real broker: 200 real
 * and generated images, the broken files and a record that is not Avro at all. Every submitted image must end in
 * exactly one final verdict, read as a {@code read_committed} consumer, with the right status and reason.
 */
@ExtendWith(RunningPipeline.Provider.class)
class PipelineEndToEndIT {
    private static LocalStack stack;
    private static Path samples;

    @BeforeAll
    static void usePipeline(RunningPipeline pipeline) {
        stack = pipeline.stack();
        samples = pipeline.samples();
    }

    @Test
    void everySubmittedImageEndsInExactlyOneFinalVerdictWithTheRightStatusAndReason() throws Exception {
        List<LabelledImage> images = LabelledImage.collect(List.of(samples));
        assertThat(images).hasSizeGreaterThanOrEqualTo(200);

        Map<String, List<FinalVerdict>> verdicts;
        Map<String, LabelledImage> sent;
        String garbageId = Submitter.newImageId("not-avro");
        try (Submitter submitter = new Submitter(stack.bootstrapServers(), "e2e-test")) {
            sent = new LinkedHashMap<>(submitter.submit(images));
            sendRawRecord(garbageId, "{\"imageId\": \"this is JSON, not Avro\"}".getBytes());
            List<String> ids = new ArrayList<>(sent.keySet());
            ids.add(garbageId);
            verdicts = submitter.await(ids, Duration.ofMinutes(4), Duration.ofSeconds(5), v -> {
            });
        }

        new VerdictReport(System.out).summary(verdicts);
        FinalVerdicts.assertExactlyOneEach(verdicts.keySet(), verdicts);

        assertThat(verdicts.get(garbageId).getFirst()).satisfies(v -> {
            assertThat(v.getStatus()).isEqualTo(FinalStatus.REJECTED);
            assertThat(v.getRejection().getReason()).isEqualTo(RejectReason.BAD_RECORD);
        });
        for (var entry : sent.entrySet()) {
            FinalVerdict verdict = verdicts.get(entry.getKey()).getFirst();
            Path file = entry.getValue().file();
            BrokenSample broken = brokenSample(file);
            if (broken != null) {
                assertThat(verdict.getStatus()).as(file.toString()).isEqualTo(FinalStatus.REJECTED);
                assertThat(verdict.getRejection().getReason()).as(file.toString()).isEqualTo(broken.expectedReason());
                assertThat(verdict.getRejection().getMessage()).isNotBlank();
            } else {
                assertDecidedAlongTheHierarchy(verdict, file);
            }
        }
    }

    private static void assertDecidedAlongTheHierarchy(FinalVerdict verdict, Path file) {
        assertThat(verdict.getStatus()).as(file.toString()).isEqualTo(FinalStatus.DECIDED);
        assertThat(verdict.getLabel()).as("label passes through").isNotNull();
        assertThat(verdict.getLatencyMillis()).isGreaterThanOrEqualTo(0);
        List<Stage> path = verdict.getPath().stream().map(s -> s.getStage()).toList();
        if (verdict.getAuthenticity() == Authenticity.REAL) {
            assertThat(path).containsExactly(Stage.DETECTION);
            assertThat(verdict.getFamily()).isNull();
        } else {
            assertThat(verdict.getAuthenticity()).isEqualTo(Authenticity.FAKE);
            assertThat(path).containsExactly(Stage.DETECTION, Stage.FAMILY, Stage.ATTRIBUTION);
            assertThat(verdict.getFamily()).isIn("gan", "diffusion");
            assertThat(verdict.getGenerator()).isNotBlank();
        }
    }

    private static BrokenSample brokenSample(Path file) {
        for (BrokenSample sample : BrokenSample.values()) {
            if (file.getFileName().toString().equals(sample.fileName()) && file.getParent().endsWith("broken")) {
                return sample;
            }
        }
        return null;
    }

    private static void sendRawRecord(String key, byte[] value) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.INGEST.name(), key, value));
        }
    }
}
