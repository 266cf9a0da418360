package dev.aidetect.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failures a newcomer meets first, each through the real command line: exit code 2 for a usage error and 1 for a
 * failure, and one line that says what was wrong and what to do, no stack trace.
 */
class KnownFailuresTest {
    private static final Path TINY_ENCODER = Path.of("../deploy/models/tiny-clip-vit/manifest.json");

    @TempDir
    Path dir;

    @Test
    void unknownOptionIsAUsageErrorInOneLineWithExitTwo() {
        CliRun run = CliRun.of("submit", "--bogus", "x.jpg");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errorLines()).singleElement().asString().contains("aidetect submit: Unknown option: '--bogus'",
                "aidetect submit --help");
    }

    @Test
    void unknownHeadAlgorithmIsAUsageErrorThatListsTheKnownOnes() {
        CliRun run = CliRun.of("train", "heads", "--embeddings", "x.avro", "--algorithm", "forest");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errorLines()).singleElement().asString().contains("unknown head algorithm 'forest'",
                "random-forest", "aidetect train heads --help");
    }

    @Test
    void submittingAFolderWithoutFilesFailsInOneLineBeforeAskingForTheBroker() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));

        CliRun run = CliRun.of("submit", empty.toString(), "--bootstrap-servers", "no-such-host.invalid:9092");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.errorLines()).singleElement().asString().contains("aidetect submit: no files found under ["
                + empty + "]", "give image files or folders that hold some");
    }

    @Test
    void submittingAPathThatDoesNotExistFailsInOneLineNamingIt() {
        Path missing = dir.resolve("typo.jpg");

        CliRun run = CliRun.of("submit", missing.toString(), "--bootstrap-servers", "no-such-host.invalid:9092");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.errorLines()).singleElement().asString().contains("aidetect submit: no such file or directory: "
                + missing.toAbsolutePath());
    }

    @Test
    void unreachableBrokerFailsWithinSecondsInOneLine() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path image = Files.write(dir.resolve("a.jpg"), new byte[]{1, 2, 3});

        CliRun run = CliRun.of("submit", image.toString(), "--bootstrap-servers", "localhost:" + port);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.took()).isLessThan(Duration.ofSeconds(30));
        assertThat(run.errorLines()).singleElement().asString().contains(
                "aidetect submit: no Kafka broker answers at localhost:" + port, "--bootstrap-servers");
        assertThat(run.err()).doesNotContain("\tat ");
    }

    @Test
    void brokerHostThatDoesNotResolveFailsInOneLine() throws IOException {
        Path image = Files.write(dir.resolve("a.jpg"), new byte[]{1, 2, 3});

        CliRun run = CliRun.of("submit", image.toString(), "--bootstrap-servers", "no-such-host.invalid:9092");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.errorLines()).singleElement().asString().contains(
                "no Kafka broker answers at no-such-host.invalid:9092", "resolvable");
    }

    @Test
    void kafkaPortGivenByTheUserThatIsTakenFailsBeforeAnythingStarts() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            CliRun run = CliRun.of("demo", "--kafka-port", String.valueOf(port), "--work-dir",
                    dir.resolve("demo").toString());

            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.errorLines()).singleElement().asString().contains(
                    "aidetect demo: port " + port + " is taken", "--kafka-port");
            assertThat(dir.resolve("demo")).doesNotExist();
        }
    }

    @Test
    void missingEncoderManifestFailsInOneLineNamingIt() throws IOException {
        Path images = labelledFolder();
        Path missing = dir.resolve("no-such-encoder/manifest.json");

        CliRun run = CliRun.of("train", "heads", "--images", images.toString(), "--encoder", missing.toString(),
                "--out", dir.resolve("models").toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.errorLines()).singleElement().asString().contains("aidetect train heads:",
                "encoder manifest " + missing.toAbsolutePath() + " does not exist");
    }

    @Test
    void modelFileOfAnotherEncoderFailsInOneLineNamingBothChecksums() throws IOException {
        Path images = labelledFolder();
        Path encoder = Files.createDirectories(dir.resolve("encoder"));
        Files.copy(TINY_ENCODER, encoder.resolve("manifest.json"));
        // Another model under the manifest's file name: what a copy from the wrong folder or a re-export leaves.
        Files.write(encoder.resolve("encoder.pt"), new byte[]{'P', 'K', 3, 4, 0, 0});

        CliRun run = CliRun.of("train", "heads", "--images", images.toString(), "--encoder",
                encoder.resolve("manifest.json").toString(), "--out", dir.resolve("models").toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.errorLines()).singleElement().asString().contains("encoder.pt has sha256",
                "but encoder manifest tiny-clip-vit v1 expects", "restore it or regenerate the manifest");
    }

    @Test
    void embeddingsFileThatIsNotAvroFailsInOneLineNamingIt() throws IOException {
        Path csv = Files.writeString(dir.resolve("embeddings.csv"), "id,v0\na,1\n");

        CliRun run = CliRun.of("train", "heads", "--embeddings", csv.toString(), "--out",
                dir.resolve("models").toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.errorLines()).singleElement().asString().contains("aidetect train heads:", csv.toString(),
                "cannot be opened as an Avro container file of ImageEmbedding records");
    }

    @Test
    void verboseShowsTheStackTraceAndStillEndsWithTheLine() {
        Path missing = dir.resolve("none.json");

        CliRun run = CliRun.of("train", "heads", "--images", dir.toString(), "--encoder", missing.toString(),
                "--verbose");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("\tat dev.aidetect.");
        assertThat(run.errorLines().getLast()).contains("aidetect train heads:", "does not exist");
    }

    private Path labelledFolder() throws IOException {
        Path real = Files.createDirectories(dir.resolve("images/real"));
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", real.resolve("a.png").toFile());
        return dir.resolve("images");
    }
}
