package dev.aidetect.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * {@code up} and {@code submit} refuse what cannot work before they start anything or ask for a broker: a taken port, a
 * custom encoder without heads for its vectors, nothing to submit, a URI that is not one.
 */
class UpAndSubmitUsageTest {
    private static final Path TINY_ENCODER = Path.of("../deploy/models/tiny-clip-vit/manifest.json");

    @Test
    void upFailsAtOnceOnATakenPortNamingThePortAndTheOptionThatMovesIt() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            CliRun run = CliRun.of(up("--router-port", String.valueOf(port)));

            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.took()).isLessThan(Duration.ofSeconds(10));
            assertThat(run.errorLines()).singleElement().asString().contains("aidetect up: port " + port
                    + " is taken", "--router-port");
        }
    }

    @Test
    void upRefusesACustomEncoderWithoutHeadsTrainedOnItsVectors() throws IOException {
        CliRun run = CliRun.of(up("--encoder", TINY_ENCODER.toString()));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.errorLines()).singleElement().asString().contains("needs --detection-head and --family-head",
                "train heads");
    }

    @Test
    void upRefusesAModelThatDoesNotExist() throws IOException {
        CliRun run = CliRun.of(up("--detection-head", "no/such.head"));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.errorLines()).singleElement().asString().contains("--detection-head no/such.head does not "
                + "exist", "AIDETECT_CLASSIFIER_DETECTION_HEAD");
    }

    @Test
    void upStartsOneOrThreeBrokersAndNeitherBesideAnExistingCluster() throws IOException {
        CliRun two = CliRun.of(up("--brokers", "2"));
        CliRun onACluster = CliRun.of(up("--brokers", "3", "--bootstrap-servers", "no-such-host.invalid:9092"));

        assertThat(two.exit()).isEqualTo(2);
        assertThat(two.errorLines()).singleElement().asString().contains("--brokers must be 1 or 3, not 2");
        assertThat(onACluster.exit()).isEqualTo(2);
        assertThat(onACluster.errorLines()).singleElement().asString().contains("--brokers",
                "cannot go with an existing cluster");
    }

    @Test
    void submitWithNothingToSendIsAUsageError() {
        CliRun run = CliRun.of("submit", "--bootstrap-servers", "no-such-host.invalid:9092");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errorLines()).singleElement().asString().contains("give image files, folders or --uri URL");
    }

    @Test
    void submitOfSomethingThatIsNotAUriIsAUsageError() {
        CliRun run = CliRun.of("submit", "--uri", "cat.jpg", "--bootstrap-servers", "no-such-host.invalid:9092");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.errorLines()).singleElement().asString().contains("--uri 'cat.jpg' is not an absolute URI");
    }

    @Test
    void replayNeedsExactlyOneSourceAndARun() {
        CliRun neither = CliRun.of("replay", "--run", "r1");
        CliRun both = CliRun.of("replay", "--run", "r1", "--from-topic", "t", "--from-dir", ".");
        CliRun badRun = CliRun.of("replay", "--run", "my run", "--from-topic", "t");

        assertThat(neither.exit()).isEqualTo(2);
        assertThat(neither.errorLines()).singleElement().asString().contains("--from-topic", "--from-dir");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.errorLines()).singleElement().asString().contains("mutually exclusive");
        assertThat(badRun.exit()).isEqualTo(2);
        assertThat(badRun.errorLines()).singleElement().asString().contains("--run 'my run'");
    }

    /** {@code up} on free ports, so the test does not depend on what else this machine runs; {@code more} wins. */
    private static String[] up(String... more) throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        for (String port : List.of("--kafka-port", "--embedder-port", "--classifier-port", "--router-port")) {
            options.put(port, free());
        }
        options.put("--work-dir", "target/up-usage");
        options.put("--demo-dir", "target/up-usage-demo");
        for (int i = 0; i < more.length; i += 2) {
            options.put(more[i], more[i + 1]);
        }
        List<String> args = new ArrayList<>(List.of("up"));
        options.forEach((option, value) -> args.addAll(List.of(option, value)));
        return args.toArray(String[]::new);
    }

    private static String free() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return String.valueOf(socket.getLocalPort());
        }
    }
}
