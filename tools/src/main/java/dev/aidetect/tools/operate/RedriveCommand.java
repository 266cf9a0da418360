package dev.aidetect.tools.operate;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.DeadLetter;
import dev.aidetect.schemas.kafka.KafkaClientSettings;
import dev.aidetect.tools.cli.CommandFailure;
import dev.aidetect.tools.cli.ExitCodes;
import dev.aidetect.tools.cli.KafkaClusterOption;
import dev.aidetect.tools.cli.Progress;
import dev.aidetect.tools.train.TopicReplay;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "redrive", mixinStandardHelpOptions = true, description = "Put dead letters back: every record of a "
        + "dead-letter topic (deadletters.embedder, deadletters.classifier, deadletters.router), from its start to its "
        + "end now, goes to the topic it came from (its aidetect.dlt.topic header) or to --to, with its original key, "
        + "value and headers. Run it once the reader or the producer is fixed: dead letters stay where they are, so a "
        + "second run sends them again. Exit code 0 when the broker took every record.")
public final class RedriveCommand implements java.util.concurrent.Callable<Integer> {
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    @Option(names = "--topic", required = true, paramLabel = "DLT", description = "The dead-letter topic to read.")
    String topic;

    @Option(names = "--to", paramLabel = "TOPIC", description = "Send every dead letter here instead of to its origin.")
    String to;

    @Option(names = "--dry-run", description = "Read and count per destination and reason; send nothing.")
    boolean dryRun;

    @Mixin
    KafkaClusterOption kafka;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        KafkaClientSettings cluster = kafka.reachable();
        Map<String, Integer> perDestination = new TreeMap<>();
        Map<String, Integer> perReason = new TreeMap<>();
        List<String> withoutOrigin = new ArrayList<>();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        err.printf("  %s %s on %s%s%n", dryRun ? "reading" : "redriving", topic, cluster.bootstrapServers(),
                to == null ? " to the topics the dead letters came from" : " to " + to);
        try (KafkaProducer<byte[], byte[]> producer = dryRun ? null : producer(cluster)) {
            try {
                new TopicReplay<>(cluster, topic, Topics.ROUTER_DEAD_LETTERS).records(letter -> {
                    String destination = to != null ? to : DeadLetter.originTopic(letter.headers()).orElse(null);
                    if (destination == null) {
                        withoutOrigin.add(letter.partition() + "@" + letter.offset());
                        return;
                    }
                    perDestination.merge(destination, 1, Integer::sum);
                    perReason.merge(DeadLetter.text(letter.headers(), DeadLetter.REASON).orElse("?"), 1,
                            Integer::sum);
                    if (producer != null) {
                        sends.add(producer.send(redriven(destination, letter)));
                    }
                }, total -> Progress.counter(dryRun ? "reading" : "redriving", total, err));
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(e.getMessage() + " (dead-letter topics: deadletters.embedder, "
                        + "deadletters.classifier, deadletters.router)", e);
            }
            awaitAll(sends);
        }
        int total = perDestination.values().stream().mapToInt(Integer::intValue).sum();
        perDestination.forEach((destination, count) -> out.printf("%s %d dead letter(s) to %s%n",
                dryRun ? "would send" : "sent", count, destination));
        perReason.forEach((reason, count) -> out.printf("  reason %s: %d%n", reason, count));
        if (!withoutOrigin.isEmpty()) {
            out.printf(
                    "skipped %d record(s) without an aidetect.dlt.topic header (not dead letters; at partition@offset"
                            + " %s): name a destination with --to%n",
                    withoutOrigin.size(),
                    String.join(", ", withoutOrigin.subList(0, Math.min(10, withoutOrigin.size()))));
        }
        out.printf("%s %d dead letter(s) from %s%s%n", dryRun ? "dry run: would redrive" : "redrove", total, topic,
                dryRun ? "; nothing sent" : "");
        return ExitCodes.OK;
    }

    /** The dead letter as it was before: key, value and headers, without the dead-letter headers. */
    static ProducerRecord<byte[], byte[]> redriven(String destination, ConsumerRecord<byte[], byte[]> letter) {
        return new ProducerRecord<>(destination, null, letter.key(), letter.value(),
                DeadLetter.originalHeaders(letter.headers()));
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaClientSettings cluster) {
        return new KafkaProducer<>(cluster.producer(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.INGEST_MAX_MESSAGE_BYTES)),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void awaitAll(List<Future<RecordMetadata>> sends) {
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get(SEND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommandFailure("interrupted while the broker took the redriven records", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new CommandFailure("the broker did not take a redriven record ("
                        + (e.getCause() == null ? e : e.getCause()).getMessage()
                        + "); nothing was removed from the dead-letter topic, so run redrive again once it does"
                        + " (records already sent are sent again)", e);
            }
        }
    }
}
