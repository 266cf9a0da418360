package dev.aidetect.tools.cli;

import picocli.CommandLine.Option;

/**
 * The Kafka cluster a command talks to, the same option in every command: {@code --bootstrap-servers} (alias
 * {@code --bootstrap}), defaulting to {@code KAFKA_BOOTSTRAP_SERVERS}, else {@code localhost:9092}.
 */
public final class KafkaClusterOption {
    public static final String OPTION = "--bootstrap-servers";

    @Option(names = {OPTION,
            "--bootstrap"}, paramLabel = "HOST:PORT[,...]", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}", description = "Kafka cluster (default: KAFKA_BOOTSTRAP_SERVERS or ${DEFAULT-VALUE}).")
    String bootstrapServers;

    /** The address as given, unchecked. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * The address, after a broker there answered.
     *
     * @throws CommandFailure when none answers within {@link KafkaReachability#DEFAULT_TIMEOUT}
     */
    public String reachable() {
        return KafkaReachability.require(bootstrapServers, KafkaReachability.DEFAULT_TIMEOUT, OPTION);
    }
}
