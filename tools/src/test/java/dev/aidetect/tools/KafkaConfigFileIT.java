package dev.aidetect.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.kafka.LocalKafkaBroker;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.KafkaClientSettings;
import dev.aidetect.schemas.kafka.TopicAdmin;

/**
 * One {@code --kafka-config} file gives every Kafka client of the command line its security settings: on a broker
 * that takes only SASL/PLAIN logins, the admin client (the reachability check, doctor), the producers (submit,
 * replay) and the consumers (replay of a topic, submit's verdict reader) all get in with the file, and a command
 * without it says what is missing.
 */
class KafkaConfigFileIT {
    private static LocalKafkaBroker broker;
    private static KafkaClientSettings cluster;

    @TempDir
    static Path dir;

    private static Path config;

    @BeforeAll
    static void startASaslOnlyBroker() throws Exception {
        broker = LocalKafkaBroker.startTemporaryWithSaslPlain("aidetect", "s3cret");
        cluster = new KafkaClientSettings(broker.bootstrapServers(),
                LocalKafkaBroker.saslPlainClientSettings("aidetect", "s3cret"));
        TopicAdmin.ensure(cluster.admin(Map.of()), Topics.all(), 2, (short) 1);
        config = Files.writeString(dir.resolve("client.properties"), cluster.settings().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n")));
    }

    @AfterAll
    static void stopTheBroker() {
        broker.close();
    }

    @Test
    void everyKindOfClientOfTheCommandLineGetsInWithTheFile() throws Exception {
        Path set = Files.createDirectories(dir.resolve("set/real"));
        Files.write(set.resolve("r-1.jpg"), new byte[]{1, 2, 3});
        String run = "sasl-" + UUID.randomUUID().toString().substring(0, 8);

        CliRun doctor = CliRun.of("doctor", "--bootstrap-servers", broker.bootstrapServers(), "--kafka-config",
                config.toString());
        CliRun fromDir;
        CliRun fromTopic;
        CliRun submit;
        List<ImageSubmitted> landed;
        try (IngestTail ingest = new IngestTail(cluster)) {
            fromDir = withFile("replay", "--from-dir", dir.resolve("set").toString(), "--run", run);
            fromTopic = withFile("replay", "--from-topic", Topics.INGEST.name(), "--run", run + "-again");
            submit = withFile("submit", set.resolve("r-1.jpg").toString(), "--source", run, "--timeout", "PT2S",
                    "--router", "http://localhost:9");
            landed = ingest.collect(r -> r.getAttributes().getOrDefault("run", "").startsWith(run)
                    || run.equals(r.getSource()), 3, Duration.ofSeconds(30));
        }

        assertThat(doctor.out()).containsPattern("ok +kafka +" + broker.bootstrapServers().replace(".", "\\.")
                + " over SASL_PLAINTEXT: 1 broker");
        assertThat(fromDir.exit()).as(fromDir.err()).isZero();
        assertThat(fromTopic.exit()).as(fromTopic.err()).isZero();
        assertThat(fromTopic.out()).contains("replayed 1 images from topic images.ingest");
        // No pipeline runs on this broker: submit sends, reads verdicts.final, and waits in vain.
        assertThat(submit.err()).contains("submitted 1 images to " + broker.bootstrapServers());
        assertThat(submit.out()).contains("1 submitted, 0 final verdicts");
        assertThat(landed).extracting(ImageSubmitted::getSource).containsExactlyInAnyOrder("replay:" + run,
                "replay:" + run + "-again", run);
    }

    @Test
    void withoutTheFileACommandSaysWhereSecuritySettingsGo() {
        CliRun run = CliRun.of("replay", "--from-topic", Topics.INGEST.name(), "--run", "r1", "--bootstrap-servers",
                broker.bootstrapServers());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.errorLines()).singleElement().asString().contains("no Kafka broker answers at "
                + broker.bootstrapServers(), "over PLAINTEXT", "--kafka-config");
    }

    @Test
    void aWrongPasswordIsSaidAtOnce() throws Exception {
        Path wrong = Files.writeString(dir.resolve("wrong.properties"), Files.readString(config)
                .replace("s3cret", "guess"));

        CliRun run = CliRun.of("replay", "--from-topic", Topics.INGEST.name(), "--run", "r1", "--bootstrap-servers",
                broker.bootstrapServers(), "--kafka-config", wrong.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.took()).isLessThan(Duration.ofSeconds(10));
        assertThat(run.errorLines()).singleElement().asString().contains("refused", "Authentication failed",
                "over SASL_PLAINTEXT");
    }

    private static CliRun withFile(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--bootstrap-servers";
        all[args.length + 1] = broker.bootstrapServers();
        all[args.length + 2] = "--kafka-config";
        all[args.length + 3] = config.toString();
        return CliRun.of(all);
    }
}
