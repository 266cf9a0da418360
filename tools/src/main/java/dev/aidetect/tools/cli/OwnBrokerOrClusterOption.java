package dev.aidetect.tools.cli;

import picocli.CommandLine.Option;

/**
 * For commands that start their own broker unless told to use a cluster (demo, bench, doctor): the same
 * {@code --bootstrap-servers} as {@link KafkaClusterOption}, defaulting to {@code KAFKA_BOOTSTRAP_SERVERS}, but with no
 * {@code localhost:9092} fallback: absent means "none given".
 */
public final class OwnBrokerOrClusterOption {
    @Option(names = {KafkaClusterOption.OPTION,
            "--bootstrap"}, paramLabel = "HOST:PORT[,...]", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS}", description = "An existing Kafka cluster to use (default: KAFKA_BOOTSTRAP_SERVERS; none: the command starts its own broker, or, for doctor, checks none).")
    String bootstrapServers;

    /** The cluster given, or {@code null} when none was. */
    public String givenOrNull() {
        return bootstrapServers == null || bootstrapServers.isBlank() ? null : bootstrapServers.strip();
    }

    /**
     * The cluster given after a broker there answered, or {@code null} when none was.
     *
     * @throws CommandFailure when one was given and none answers
     */
    public String reachableOrNull() {
        String given = givenOrNull();
        return given == null
                ? null
                : KafkaReachability.require(given, KafkaReachability.DEFAULT_TIMEOUT, KafkaClusterOption.OPTION);
    }
}
