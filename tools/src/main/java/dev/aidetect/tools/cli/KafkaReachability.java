package dev.aidetect.tools.cli;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

import dev.aidetect.schemas.kafka.KafkaClientSettings;

/**
 * Whether a Kafka cluster answers, asked once before a command starts real work: Kafka's clients retry an address
 * that does not answer for minutes, so a typo in {@code --bootstrap-servers} or a missing {@code --kafka-config} would
 * otherwise look like a hang.
 */
public final class KafkaReachability {
    /** How long a command waits for a cluster to answer before it says that none does. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private KafkaReachability() {
    }

    /** What the cluster said: how many brokers answered, or why none did. */
    public record Answer(boolean reachable, int brokers, String problem) {
    }

    /** Asks a plaintext cluster at {@code bootstrapServers} for its brokers, waiting at most {@code timeout}. */
    public static Answer ask(String bootstrapServers, Duration timeout) {
        return ask(KafkaClientSettings.plaintext(bootstrapServers), timeout);
    }

    /** Asks the cluster, with its client settings, for its brokers, waiting at most {@code timeout}. */
    public static Answer ask(KafkaClientSettings cluster, Duration timeout) {
        int millis = (int) Math.max(1, timeout.toMillis());
        Map<String, Object> config = cluster.admin(Map.of(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000));
        Admin admin;
        try {
            admin = Admin.create(config);
        } catch (KafkaException e) {
            // A ConfigException underneath: no port, a host that does not resolve, an empty list, a bad setting.
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            return new Answer(false, 0, cause.getMessage());
        }
        try {
            int brokers = admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis)).nodes()
                    .get(millis + 1000L, TimeUnit.MILLISECONDS).size();
            return new Answer(true, brokers, null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthenticationException || e.getCause() instanceof AuthorizationException) {
                return new Answer(false, 0, "refused: " + e.getCause().getMessage());
            }
            return new Answer(false, 0, "no answer within " + timeout.toSeconds() + " s");
        } catch (TimeoutException e) {
            return new Answer(false, 0, "no answer within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(false, 0, "interrupted");
        } finally {
            // Closing waits for in-flight requests by default: a cluster that does not answer would hold us here.
            admin.close(Duration.ZERO);
        }
    }

    /**
     * Returns {@code bootstrapServers} if a plaintext broker answers there within {@code timeout}.
     *
     * @throws CommandFailure naming the address and what to do when none answers
     */
    public static String require(String bootstrapServers, Duration timeout, String option) {
        return require(KafkaClientSettings.plaintext(bootstrapServers), timeout, option).bootstrapServers();
    }

    /**
     * Returns {@code cluster} if a broker answers there, with its client settings, within {@code timeout}.
     *
     * @throws CommandFailure naming the address, the security protocol and what to do when none answers
     */
    public static KafkaClientSettings require(KafkaClientSettings cluster, Duration timeout, String option) {
        Answer answer = ask(cluster, timeout);
        if (!answer.reachable()) {
            String protocol = cluster.settings().getOrDefault("security.protocol", "PLAINTEXT");
            throw new CommandFailure("no Kafka broker answers at " + cluster.bootstrapServers() + " ("
                    + answer.problem()
                    + ", over " + protocol + "): start one (./aidetect up starts a local one) or point " + option
                    + " (or KAFKA_BOOTSTRAP_SERVERS) at a running cluster; a cluster that needs security settings "
                    + "takes them from " + KafkaClusterOption.CONFIG_OPTION + " (or " + KafkaClientSettings.FILE_ENV
                    + ")");
        }
        return cluster;
    }
}
