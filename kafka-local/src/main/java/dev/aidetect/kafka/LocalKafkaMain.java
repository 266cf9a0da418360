package dev.aidetect.kafka;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.aidetect.common.LocalPorts;

/**
 * The local run's broker process: {@code java -jar kafka-local.jar [--port 9092] [--controller-port 9093]
 * [--dir .aidetect/kafka] [--partitions 3]}. Prints {@code kafka ready at localhost:PORT} once the pipeline topics
 * exist, then serves until it is stopped (SIGTERM shuts it down cleanly).
 *
 * <p>
 * With {@code --node-id N --voters 1@localhost:P1,2@localhost:P2,... --cluster-id ID} it is node N of a
 * {@link LocalKafkaCluster} ({@link LocalKafkaCluster#nodeArgs} gives these options): it prints
 * {@value #NODE_READY} {@code N at localhost:PORT} once it has joined the quorum and serves; whoever started the
 * cluster creates the topics once every node is up (three copies need three brokers).
 */
public final class LocalKafkaMain {
    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaMain.class);
    /** What a cluster node's ready line starts with. */
    public static final String NODE_READY = "kafka node";
    private static final Set<String> OPTIONS = Set.of("--port", "--controller-port", "--dir", "--partitions",
            "--node-id", "--voters", "--cluster-id");
    private static final String USAGE = "usage: LocalKafkaMain [--port N] [--controller-port N] [--dir PATH] "
            + "[--partitions N] [--node-id N --voters ID@HOST:PORT,... --cluster-id ID]";

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
        if (options.containsKey("--node-id")) {
            serveClusterNode(options, port, controllerPort, dir);
            return;
        }
        LocalKafkaBroker broker = LocalKafkaBroker.start(dir, port, controllerPort, Map.of(), false);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-shutdown"));
        KafkaEndpoint.createPipelineTopics(broker.bootstrapServers(), partitions);
        LOG.info("kafka ready at {} (data in {}, {} partitions per pipeline topic)", broker.bootstrapServers(),
                dir.toAbsolutePath(), partitions);
        broker.awaitShutdown();
    }

    private static void serveClusterNode(Map<String, String> options, int port, int controllerPort, Path dir) {
        int id = Integer.parseInt(options.get("--node-id"));
        String voters = options.get("--voters");
        String clusterId = options.get("--cluster-id");
        if (voters == null || clusterId == null) {
            throw new IllegalArgumentException("--node-id needs --voters and --cluster-id; " + USAGE);
        }
        LOG.info("kafka node {} starting: waiting for a majority of the quorum {}", id, voters);
        LocalKafkaBroker broker = LocalKafkaBroker.start(new LocalKafkaBroker.NodeSettings(id, port, controllerPort,
                voters, voters.split(",").length, clusterId), dir, Map.of(), List.of(), false);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-shutdown"));
        LOG.info("{} {} ready at {} (data in {})", NODE_READY, id, broker.bootstrapServers(), dir.toAbsolutePath());
        broker.awaitShutdown();
    }

    private static Map<String, String> parse(String[] args) {
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException(USAGE);
        }
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!OPTIONS.contains(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; " + USAGE);
            }
            options.put(args[i], args[i + 1]);
        }
        return options;
    }
}
