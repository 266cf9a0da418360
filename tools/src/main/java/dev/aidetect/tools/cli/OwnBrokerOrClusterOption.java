package dev.aidetect.tools.cli;

import java.nio.file.Path;

import dev.aidetect.schemas.kafka.KafkaClientSettings;

import picocli.CommandLine.Option;

/**
 * For commands that start their own broker unless told to use a cluster (up, demo, bench, doctor): the same
 * {@code --bootstrap-servers} and {@code --kafka-config} as {@link KafkaClusterOption}, but with no
 * {@code localhost:9092} fallback: when neither the option, {@code KAFKA_BOOTSTRAP_SERVERS} nor the client settings
 * file names a cluster, none is given and the command starts its own (plaintext) broker.
 */
public final class OwnBrokerOrClusterOption {
    @Option(names = {KafkaClusterOption.OPTION,
            "--bootstrap"}, paramLabel = "HOST:PORT[,...]", description = "An existing Kafka cluster to use (default: KAFKA_BOOTSTRAP_SERVERS, else "
                    + "bootstrap.servers of " + KafkaClusterOption.CONFIG_OPTION
                    + "; none: the command starts its own broker, or, for doctor, checks none).")
    String bootstrapServers;

    @Option(names = KafkaClusterOption.CONFIG_OPTION, paramLabel = "FILE", defaultValue = "${env:"
            + KafkaClientSettings.FILE_ENV + "}", description = "Kafka client settings of that cluster for every "
                    + "client, the services' included: a Kafka client .properties file (security.protocol, sasl.*, "
                    + "ssl.*; default: " + KafkaClientSettings.FILE_ENV + "). Not used with the command's own broker.")
    Path configFile;

    /** The cluster given and its client settings, or {@code null} when none was. */
    public KafkaClientSettings givenOrNull() {
        return KafkaSettingsResolver.resolve(bootstrapServers, configFile);
    }

    /** The client settings file, or {@code null}: given to the services of a stack on the cluster given. */
    public Path configFileOrNull() {
        return KafkaSettingsResolver.given(configFile);
    }

    /**
     * The cluster given after a broker there answered, or {@code null} when none was.
     *
     * @throws CommandFailure when one was given and none answers
     */
    public KafkaClientSettings reachableOrNull() {
        KafkaClientSettings given = givenOrNull();
        return given == null
                ? null
                : KafkaReachability.require(given, KafkaReachability.DEFAULT_TIMEOUT, KafkaClusterOption.OPTION);
    }
}
