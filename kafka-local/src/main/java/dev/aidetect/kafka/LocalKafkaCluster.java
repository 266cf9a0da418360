package dev.aidetect.kafka;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

import org.apache.kafka.common.Uuid;

/**
 * A local KRaft cluster of several nodes, each a combined broker and controller with its own ports and data folder, all
 * of them voters of the controller quorum. Three nodes give what a production cluster has: replication factor 3 and
 * {@code min.insync.replicas} 2, so any one node can die (SIGKILL) while producers with {@code acks=all} go on, and a
 * majority of the quorum (2 of 3) still elects a controller. One node is the single-broker default: replication factor
 * 1, min ISR 1.
 *
 * <p>
 * This is the plan of the cluster (ids, ports, folders, cluster id); each node runs as its own process
 * ({@link LocalKafkaMain} with {@link #nodeArgs}, what {@code tools}' {@code LocalStack} starts, so a test can kill one)
 * or in this JVM ({@link LocalKafkaBroker#startNode}). A node formatted before keeps its own data and cluster id when it
 * starts again.
 *
 * @param clusterId the id every node is formatted with
 * @param nodes the nodes, ids 1..n
 */
public record LocalKafkaCluster(String clusterId, List<Node> nodes) {
    /** Replication factor of every topic on a cluster of three nodes or more. */
    public static final int FULL_REPLICATION = 3;

    /**
     * One node.
     *
     * @param id its node id (1..n), also its place among the quorum's voters
     * @param port its client listener
     * @param controllerPort its controller (quorum) listener
     * @param dataDir its data, never shared with another node
     */
    public record Node(int id, int port, int controllerPort, Path dataDir) {
        /** host:port of its client listener. */
        public String address() {
            return "localhost:" + port;
        }
    }

    public LocalKafkaCluster {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least one node");
        }
        nodes = List.copyOf(nodes);
    }

    /**
     * Plans {@code count} nodes, node {@code i} in {@code dir/node-i}, each port taken from {@code ports} in turn (client,
     * then controller, node by node), and a new cluster id.
     */
    public static LocalKafkaCluster plan(int count, Path dir, IntSupplier ports) {
        if (count < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node, not " + count);
        }
        List<Node> nodes = new ArrayList<>();
        for (int id = 1; id <= count; id++) {
            nodes.add(new Node(id, ports.getAsInt(), ports.getAsInt(), dir.resolve("node-" + id)));
        }
        return new LocalKafkaCluster(Uuid.randomUuid().toString(), nodes);
    }

    /** The node with {@code id}. */
    public Node node(int id) {
        return nodes.stream().filter(n -> n.id() == id).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no node " + id + "; the cluster has nodes 1.." + nodes.size()));
    }

    /** {@code controller.quorum.voters}: every node, {@code id@localhost:controllerPort}. */
    public String voters() {
        return voters(nodes);
    }

    static String voters(List<Node> nodes) {
        return nodes.stream().map(n -> n.id() + "@localhost:" + n.controllerPort()).collect(Collectors.joining(","));
    }

    /** {@code bootstrap.servers} naming every node, so a client finds the cluster while any one of them is down. */
    public String bootstrapServers() {
        return nodes.stream().map(Node::address).collect(Collectors.joining(","));
    }

    /** Replication factor of every topic: 3 from three nodes on, else one copy per node. */
    public short replicationFactor() {
        return replicationFactor(nodes.size());
    }

    static short replicationFactor(int nodeCount) {
        return (short) Math.min(FULL_REPLICATION, nodeCount);
    }

    /** {@code min.insync.replicas}: all copies but one (2 of 3), so one node may be down; 1 on a single node. */
    public int minInsyncReplicas() {
        return minInsyncReplicas(nodes.size());
    }

    static int minInsyncReplicas(int nodeCount) {
        return Math.max(1, replicationFactor(nodeCount) - 1);
    }

    /** The options of {@link LocalKafkaMain} that start {@code node} of this cluster (topics are created by others). */
    public List<String> nodeArgs(int id) {
        Node node = node(id);
        return List.of("--node-id", String.valueOf(id), "--port", String.valueOf(node.port()), "--controller-port",
                String.valueOf(node.controllerPort()), "--dir", node.dataDir().toString(), "--voters", voters(),
                "--cluster-id", clusterId);
    }
}
