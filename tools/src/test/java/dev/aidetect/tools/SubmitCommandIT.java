package dev.aidetect.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.kafka.KafkaEndpoint;
import dev.aidetect.schemas.Topics;

/** {@code aidetect submit} on a real broker, for an image the broker cannot take: said, and the exit code is 1. */
class SubmitCommandIT {
    @TempDir
    Path dir;

    @Test
    void saysWhichImageWasNotSubmittedAndWhyAndExitsOne() throws Exception {
        Path huge = Files.write(dir.resolve("huge.jpg"), new byte[Topics.INGEST_MAX_MESSAGE_BYTES + 1]);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        PrintStream stdout = System.out;
        int exit;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = AidetectCli.commandLine().execute("submit", huge.toString(), "--bootstrap-servers",
                    KafkaEndpoint.bootstrapServers(), "--timeout", "PT5S");
        } finally {
            System.setErr(stderr);
            System.setOut(stdout);
        }

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not submitted: " + huge,
                "max.message.bytes", "submitted 0 images");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("1 image(s) not submitted");
    }
}
