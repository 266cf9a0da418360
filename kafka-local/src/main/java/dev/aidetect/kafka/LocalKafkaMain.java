package dev.aidetect.kafka;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.aidetect.common.LocalPorts;

/**
 * The local run's broker process: {@code java -jar kafka-local.jar [--port 9092] [--controller-port 9093]
 * [--dir .aidetect/kafka] [--partitions 3]}. Prints {@code kafka ready at localhost:PORT} once the pipeline topics
 * exist, then serves until it is stopped (SIGTERM shuts it down cleanly).
 */
public final class LocalKafkaMain {
    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaMain.class);

    private LocalKafkaMain() {
    }

    public static void main(String[] args) {
        Map<String, String> options = parse(args);
        int port = Integer.parseInt(options.getOrDefault("--port", "9092"));
        int controllerPort = Integer.parseInt(options.getOrDefault("--controller-port", "9093"));
        Path dir = Path.of(options.getOrDefault("--dir", ".aidetect/kafka"));
        int partitions = Integer.parseInt(options.getOrDefault("--partitions", "3"));

        for (int p : new int[]{port, controllerPort}) {
            if (!LocalPorts.free(p)) {
                LOG.error("port {} is already in use (another broker still running?); stop it, or pick other ports"
                        + " with --port and --controller-port", p);
                System.exit(2);
            }
        }
        LocalKafkaBroker broker = LocalKafkaBroker.start(dir, port, controllerPort, Map.of(), false);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-shutdown"));
        KafkaEndpoint.createPipelineTopics(broker.bootstrapServers(), partitions);
        LOG.info("kafka ready at {} (data in {}, {} partitions per pipeline topic)", broker.bootstrapServers(),
                dir.toAbsolutePath(), partitions);
        broker.awaitShutdown();
    }

    private static Map<String, String> parse(String[] args) {
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException(
                    "usage: LocalKafkaMain [--port N] [--controller-port N] [--dir PATH] [--partitions N]");
        }
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!Set.of("--port", "--controller-port", "--dir", "--partitions").contains(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i]
                        + "; known: --port, --controller-port, --dir, --partitions");
            }
            options.put(args[i], args[i + 1]);
        }
        return options;
    }
}
