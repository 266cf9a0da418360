package dev.aidetect.tools.cli;

import java.nio.file.Path;

import dev.aidetect.schemas.kafka.KafkaClientSettings;

import picocli.CommandLine.Option;

/**
 * The Kafka cluster a command talks to, the same options in every command: {@code --bootstrap-servers} (alias
 * {@code --bootstrap}) and {@code --kafka-config FILE}, the client settings (security and others) every producer,
 * consumer and admin client of the command gets. The address is the option's, else {@code KAFKA_BOOTSTRAP_SERVERS},
 * else the file's {@code bootstrap.servers}, else {@code localhost:9092} (where {@code ./aidetect up} listens).
 */
public final class KafkaClusterOption {
    public static final String OPTION = "--bootstrap-servers";
    public static final String CONFIG_OPTION = "--kafka-config";
    static final String DEFAULT_BOOTSTRAP = "localhost:9092";

    @Option(names = {OPTION,
            "--bootstrap"}, paramLabel = "HOST:PORT[,...]", description = "Kafka cluster (default: KAFKA_BOOTSTRAP_SERVERS, else bootstrap.servers of "
                    + CONFIG_OPTION + ", else " + DEFAULT_BOOTSTRAP + ").")
    String bootstrapServers;

    @Option(names = CONFIG_OPTION, paramLabel = "FILE", defaultValue = "${env:" + KafkaClientSettings.FILE_ENV
            + "}", description = "Kafka client settings for every client of the command: a Kafka client .properties "
                    + "file (security.protocol, sasl.*, ssl.*; default: " + KafkaClientSettings.FILE_ENV + ").")
    Path configFile;

    /** The cluster and its client settings, unchecked. */
    public KafkaClientSettings settings() {
        KafkaClientSettings settings = KafkaSettingsResolver.resolve(bootstrapServers, configFile);
        return settings != null ? settings : KafkaSettingsResolver.withAddress(DEFAULT_BOOTSTRAP, configFile);
    }

    /** The address, unchecked. */
    public String bootstrapServers() {
        return settings().bootstrapServers();
    }

    /** The client settings file given, or {@code null}. */
    public Path configFileOrNull() {
        return KafkaSettingsResolver.given(configFile);
    }

    /**
     * The cluster and its client settings, after a broker there answered.
     *
     * @throws CommandFailure when none answers within {@link KafkaReachability#DEFAULT_TIMEOUT}
     */
    public KafkaClientSettings reachable() {
        return KafkaReachability.require(settings(), KafkaReachability.DEFAULT_TIMEOUT, OPTION);
    }
}
