package dev.aidetect.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

import dev.aidetect.common.MoreFiles;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A real single-node Apache Kafka broker in KRaft mode (combined broker and controller), started in this JVM. Used by
 * tests (free ports, a temporary directory, up in seconds) and, through {@link LocalKafkaMain}, as the local run's
 * broker process.
 *
 * <p>
 * Settings fit one node: replication factor 1 and min ISR 1 for the offsets and transaction topics (so
 * {@code exactly_once_v2} works) and no initial rebalance delay (so consumer groups start at once). As a node of a
 * {@link LocalKafkaCluster} of three, every topic has three copies and two must be in sync. It never auto-creates a
 * topic: every pipeline topic is created with one partition count by whoever needs it first.
 */
public final class LocalKafkaBroker implements AutoCloseable {
    private static final String CONTROLLER = "CONTROLLER";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDir;
    private final boolean deleteOnClose;

    private LocalKafkaBroker(KafkaRaftServer server, String bootstrapServers, Path dataDir, boolean deleteOnClose) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
    }

    /** Starts a broker on free ports in a new temporary directory, deleted on {@link #close()}. */
    public static LocalKafkaBroker startTemporary() {
        try {
            return start(Files.createTempDirectory("aidetect-kafka-"), 0, 0, Map.of(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the test broker", e);
        }
    }

    /**
     * Starts a broker on free ports in a new temporary directory (deleted on {@link #close()}) whose only client
     * listener is {@code SASL_PLAINTEXT} with the {@code PLAIN} mechanism and one user: a client without
     * {@link #saslPlainClientSettings} settings cannot connect. What tests use to prove that Kafka security settings
     * reach every client.
     */
    public static LocalKafkaBroker startTemporaryWithSaslPlain(String user, String password) {
        int clientPort = freePort();
        int quorumPort = freePort();
        String listener = "SASL_PLAINTEXT";
        Map<String, String> overrides = Map.of(
                "listeners", listener + "://localhost:" + clientPort + "," + CONTROLLER + "://localhost:" + quorumPort,
                "advertised.listeners", listener + "://localhost:" + clientPort,
                "listener.security.protocol.map", listener + ":" + listener + "," + CONTROLLER + ":PLAINTEXT",
                "inter.broker.listener.name", listener,
                "sasl.enabled.mechanisms", "PLAIN",
                "sasl.mechanism.inter.broker.protocol", "PLAIN",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                        + "\" password=\"" + password + "\" user_" + user + "=\"" + password + "\";");
        try {
            return start(Files.createTempDirectory("aidetect-kafka-sasl-"), clientPort, quorumPort, overrides, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the test broker", e);
        }
    }

    /** The client settings that log in to a {@link #startTemporaryWithSaslPlain} broker as {@code user}. */
    public static Map<String, String> saslPlainClientSettings(String user, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                        + "\" password=\"" + password + "\";");
    }

    /**
     * Starts a broker that keeps its data in {@code dataDir} (formatted on first use, reused after, with its cluster id).
     *
     * @param port client port, 0 for a free one
     * @param controllerPort KRaft controller port, 0 for a free one
     * @param overrides extra broker properties
     */
    public static LocalKafkaBroker start(Path dataDir, int port, int controllerPort, Map<String, String> overrides,
            boolean deleteOnClose) {
        return start(dataDir, port, controllerPort, overrides, List.of(), deleteOnClose);
    }

    /**
     * As {@link #start(Path, int, int, Map, boolean)}, with SCRAM credentials written into the metadata when the storage
     * is formatted ({@code kafka-storage format --add-scram}: {@code SCRAM-SHA-512=[name=...,password=...]}), so that
     * brokers and clients can log in from the first moment.
     */
    static LocalKafkaBroker start(Path dataDir, int port, int controllerPort, Map<String, String> overrides,
            List<String> scramCredentials, boolean deleteOnClose) {
        int clientPort = port == 0 ? freePort() : port;
        int quorumPort = controllerPort == 0 ? freePort() : controllerPort;
        return start(new NodeSettings(1, clientPort, quorumPort, "1@localhost:" + quorumPort, 1, null), dataDir,
                overrides, scramCredentials, deleteOnClose);
    }

    /**
     * Starts node {@code id} of {@code cluster} in this JVM, on its data (kept on close). Its start returns once a
     * majority of the quorum runs: start the nodes side by side.
     */
    public static LocalKafkaBroker startNode(LocalKafkaCluster cluster, int id) {
        LocalKafkaCluster.Node node = cluster.node(id);
        return start(new NodeSettings(id, node.port(), node.controllerPort(), cluster.voters(), cluster.nodes().size(),
                cluster.clusterId()), node.dataDir(), Map.of(), List.of(), false);
    }

    /**
     * Who a node is in its cluster.
     *
     * @param voters {@code controller.quorum.voters}
     * @param nodeCount how many nodes the cluster has (which sets the replication factor and min ISR)
     * @param clusterId the id to format new storage with; {@code null}: a new one
     */
    record NodeSettings(int id, int port, int controllerPort, String voters, int nodeCount, String clusterId) {
    }

    static LocalKafkaBroker start(NodeSettings node, Path dataDir, Map<String, String> overrides,
            List<String> scramCredentials, boolean deleteOnClose) {
        int clientPort = node.port();
        int quorumPort = node.controllerPort();
        String replicas = String.valueOf(LocalKafkaCluster.replicationFactor(node.nodeCount()));
        String minInsync = String.valueOf(LocalKafkaCluster.minInsyncReplicas(node.nodeCount()));
        Path logDir = dataDir.toAbsolutePath().resolve("logs");
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(node.id()));
        props.put("controller.quorum.voters", node.voters());
        props.put("listeners", "PLAINTEXT://localhost:" + clientPort + "," + CONTROLLER + "://localhost:" + quorumPort);
        props.put("advertised.listeners", "PLAINTEXT://localhost:" + clientPort);
        props.put("controller.listener.names", CONTROLLER);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        // One copy per node up to three, and all but one in sync: on three nodes any one may die with nothing lost.
        props.put("offsets.topic.replication.factor", replicas);
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", replicas);
        props.put("transaction.state.log.min.isr", minInsync);
        props.put("transaction.state.log.num.partitions", "5");
        props.put("share.coordinator.state.topic.replication.factor", replicas);
        props.put("share.coordinator.state.topic.min.isr", minInsync);
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("default.replication.factor", replicas);
        props.put("min.insync.replicas", minInsync);
        // Every caller creates its topics with the pipeline's partition count (PipelineTopics, TopicAdmin, the tests):
        // an auto-created topic (one partition) from a client that merely names it would split an image's records.
        props.put("auto.create.topics.enable", "false");
        props.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        props.putAll(overrides);
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        format(config, logDir, node.clusterId(), scramCredentials);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        return new LocalKafkaBroker(server, "localhost:" + clientPort, dataDir, deleteOnClose);
    }

    /**
     * Formats {@code logDir} on first use. A directory formatted before keeps its cluster id: formatting it again with a
     * new one would make the broker refuse its own data ("Invalid cluster.id"), as it did after every restart. New
     * storage gets {@code clusterId}, the one all nodes of a cluster share, or a new id when it is {@code null}.
     */
    private static void format(KafkaConfig config, Path logDir, String clusterId, List<String> scramCredentials) {
        try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setClusterId(existingClusterId(logDir).orElseGet(
                            () -> clusterId != null ? clusterId : Uuid.randomUuid().toString()))
                    .setNodeId(config.nodeId())
                    .setControllerListenerName(CONTROLLER)
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .addDirectory(logDir.toString())
                    .setIgnoreFormatted(true)
                    .setScramArguments(scramCredentials)
                    .setPrintStream(quiet)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka storage in " + logDir
                    + " (delete the directory if it holds another cluster's data): " + e.getMessage(), e);
        }
    }

    /** The cluster id in {@code logDir/meta.properties}, or empty before the first format. */
    static Optional<String> existingClusterId(Path logDir) {
        Path meta = logDir.resolve("meta.properties");
        if (!Files.exists(meta)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + meta + " (delete " + logDir + " to start the local broker "
                    + "empty): " + e.getMessage(), e);
        }
        return Optional.ofNullable(properties.getProperty("cluster.id")).filter(id -> !id.isBlank());
    }

    /** host:port for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Blocks until the broker has shut down. */
    public void awaitShutdown() {
        server.awaitShutdown();
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (deleteOnClose) {
            MoreFiles.deleteRecursively(dataDir);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port for the test broker", e);
        }
    }
}
