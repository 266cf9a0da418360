package dev.aidetect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

import dev.aidetect.common.MoreFiles;
import dev.aidetect.kafka.LocalKafkaCluster;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.Topics;
import dev.aidetect.tools.dataset.LabelledImage;
import dev.aidetect.tools.stack.LocalStack;
import dev.aidetect.tools.stack.Port;
import dev.aidetect.tools.stack.StackService;
import dev.aidetect.tools.submit.Submitter;
import dev.aidetect.tools.submit.VerdictReport;
import dev.aidetect.tools.train.DemoModels;

/**
 * The packaged services on the stack's own three-broker KRaft cluster (replication factor 3, min ISR 2, every broker
 * its own process). Images arrive at a steady rate; the broker leading {@code images.ingest}'s first partition is
 * killed (SIGKILL) mid-stream, the submissions go on, and the broker starts again on its data 20 s later. Afterwards
 * a {@code read_committed} reader sees exactly one final verdict per image: none lost, none twice, and none
 * {@code TIMED_OUT} (the stage timeout is far longer than the outage, so a time-out would be a lost request).
 */
class BrokerKillOnClusterIT {
    private static final Path ROOT = Path.of(System.getProperty("aidetect.project.root", "..")).toAbsolutePath();
    private static final Path WORK = ROOT.resolve("end-to-end/target/broker-kill-on-cluster-it");
    private static final int IMAGES = 300;
    /** Images per tick, one tick every {@link #TICK}: 8 images/s. */
    private static final int PER_TICK = 2;
    private static final Duration TICK = Duration.ofMillis(250);
    private static final int KILL_AFTER = 80;
    private static final Duration BROKER_DOWN = Duration.ofSeconds(20);
    private static final Duration STAGE_TIMEOUT = Duration.ofMinutes(10);

    @Test
    void everyImageEndsInExactlyOneDecidedVerdictWhenABrokerIsKilledUnderLoadAndRestarted() throws Exception {
        MoreFiles.deleteRecursively(WORK);
        PrintWriter log = new PrintWriter(System.out, true);
        DemoModels models = DemoModels.prepare(ROOT, ROOT.resolve("end-to-end/target/e2e"), log);
        List<LabelledImage> images = LabelledImage.collect(List.of(DemoModels.writeSamples(WORK.resolve("samples"),
                IMAGES / 5 + 1, log))).stream().filter(image -> image.label() != null).limit(IMAGES).toList();
        assertThat(images).hasSize(IMAGES);

        // given the pipeline on three brokers
        // The services on free ports of their own: on a machine that runs other stacks, a default port found free can
        // be taken before the service binds it.
        Map<StackService, Integer> ports = new EnumMap<>(StackService.class);
        for (StackService service : StackService.values()) {
            ports.put(service, Port.preferredOrFree(0));
        }
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(ROOT, WORK.resolve("stack"), null, 0, 3,
                models.serviceEnv(STAGE_TIMEOUT), ports, null, null, 3), log);
                Submitter submitter = new Submitter(stack.bootstrapServers(), "broker-kill-test");
                ExecutorService sender = Executors.newSingleThreadExecutor()) {
            LocalKafkaCluster cluster = stack.cluster().orElseThrow();
            int victim = leaderOfFirstIngestPartition(stack.bootstrapServers());
            Map<String, Instant> sentAt = new ConcurrentHashMap<>();

            // when images arrive at a steady rate, and the leader of images.ingest-0 is killed and later restarted
            Future<Map<String, LabelledImage>> sending = sender.submit(() -> submitSteadily(submitter, images,
                    sentAt));
            while (sentAt.size() < KILL_AFTER) {
                Thread.sleep(50);
            }
            Instant killed = Instant.now();
            stack.killBroker(victim);
            int sentBeforeKill = sentAt.size();
            Thread.sleep(BROKER_DOWN.toMillis());
            Instant restarting = Instant.now();
            int sentWhileDown = sentAt.size() - sentBeforeKill;
            stack.restartBroker(victim);
            Instant restarted = Instant.now();
            Map<String, LabelledImage> sent = sending.get(5, TimeUnit.MINUTES);
            Map<String, List<FinalVerdict>> verdicts = submitter.await(sent.keySet(), Duration.ofMinutes(5),
                    Duration.ofSeconds(10), v -> {
                    });

            // then every image has exactly one committed final verdict, decided
            new VerdictReport(log).summary(verdicts);
            printFigures(cluster, victim, killed, restarting, restarted, sentBeforeKill, sentWhileDown, sentAt,
                    verdicts);
            assertThat(sent).hasSize(IMAGES);
            FinalVerdicts.assertExactlyOneEach(sent.keySet(), verdicts);
            assertThat(verdicts.values().stream().flatMap(List::stream).map(FinalVerdict::getStatus))
                    .as("final statuses (TIMED_OUT: a stage request lost with the broker)")
                    .containsOnly(FinalStatus.DECIDED);
            assertThat(stack.exited()).as("processes that exited by themselves").isEmpty();
        }
    }

    /** Sends {@link #PER_TICK} images every {@link #TICK}, each submission acknowledged by two brokers or more. */
    private static Map<String, LabelledImage> submitSteadily(Submitter submitter, List<LabelledImage> images,
            Map<String, Instant> sentAt) throws InterruptedException {
        Map<String, LabelledImage> sent = new LinkedHashMap<>();
        long next = System.nanoTime();
        for (int i = 0; i < images.size(); i += PER_TICK) {
            Instant at = Instant.now();
            Submitter.Submission submission = submitter.submit(images.subList(i, Math.min(i + PER_TICK,
                    images.size())));
            assertThat(submission.refused()).as("images the cluster refused").isEmpty();
            submission.sent().keySet().forEach(id -> sentAt.put(id, at));
            sent.putAll(submission.sent());
            next += TICK.toNanos();
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        return sent;
    }

    private static int leaderOfFirstIngestPartition(String bootstrapServers) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            return admin.describeTopics(Set.of(Topics.INGEST.name())).allTopicNames().get().get(Topics.INGEST.name())
                    .partitions().getFirst().leader().id();
        }
    }

    /** Verdict latency (submission to final verdict) of the images sent before, while and after the broker was down. */
    private static void printFigures(LocalKafkaCluster cluster, int victim, Instant killed, Instant restarting,
            Instant restarted, int sentBeforeKill, int sentWhileDown, Map<String, Instant> sentAt,
            Map<String, List<FinalVerdict>> verdicts) {
        List<Long> before = new ArrayList<>();
        List<Long> down = new ArrayList<>();
        List<Long> after = new ArrayList<>();
        verdicts.forEach((id, finals) -> {
            if (finals.isEmpty()) {
                return;
            }
            Instant at = sentAt.get(id);
            long latency = Duration.between(at, finals.getFirst().getFinalizedAt()).toMillis();
            (at.isBefore(killed) ? before : at.isBefore(restarted) ? down : after).add(latency);
        });
        System.out.printf("broker kill on %d brokers: broker %d killed after %d images, %d sent while it was down"
                + " (%d s), restart to ready %d ms%n", cluster.nodes().size(), victim, sentBeforeKill, sentWhileDown,
                BROKER_DOWN.toSeconds(), Duration.between(restarting, restarted).toMillis());
        for (var phase : Map.of("1 before the kill", before, "2 broker down", down, "3 after the restart", after)
                .entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            List<Long> sorted = phase.getValue().stream().sorted().toList();
            System.out.printf("  sent %-20s %4d images, verdict latency p50 %6d ms, max %6d ms%n", phase.getKey(),
                    sorted.size(), sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2),
                    sorted.isEmpty() ? 0 : sorted.getLast());
        }
    }
}
