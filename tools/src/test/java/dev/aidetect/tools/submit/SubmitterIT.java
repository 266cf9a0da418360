package dev.aidetect.tools.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.kafka.KafkaEndpoint;
import dev.aidetect.schemas.Topics;
import dev.aidetect.tools.dataset.LabelledImage;

/**
 * {@link Submitter} on a real broker: a photo of several megabytes reaches {@code images.ingest}; one larger than the
 * topic takes is reported as not submitted, with what to do, instead of silently missing its verdict.
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

    private Path file(String name, int size) throws IOException {
        return Files.write(dir.resolve(name), new byte[size]);
    }
}
