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

/**
 * Whether a Kafka cluster answers, asked once before a command starts real work: Kafka's clients retry an address
 * that does not answer for minutes, so a typo in {@code --bootstrap-servers} would otherwise look like a hang.
 */
public final class KafkaReachability {
    /** How long a command waits for a cluster to answer before it says that none does. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private KafkaReachability() {
    }

    /** What the cluster said: how many brokers answered, or why none did. */
    public record Answer(boolean reachable, int brokers, String problem) {
    }

    /** Asks {@code bootstrapServers} for its brokers, waiting at most {@code timeout}. */
    public static Answer ask(String bootstrapServers, Duration timeout) {
        int millis = (int) Math.max(1, timeout.toMillis());
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        Admin admin;
        try {
            admin = Admin.create(config);
        } catch (KafkaException e) {
            // A ConfigException underneath: no port, a host that does not resolve, an empty list.
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
        } catch (ExecutionException | TimeoutException e) {
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
     * Returns {@code bootstrapServers} if a broker answers there within {@code timeout}.
     *
     * @throws CommandFailure naming the address and what to do when none answers
     */
    public static String require(String bootstrapServers, Duration timeout, String option) {
        Answer answer = ask(bootstrapServers, timeout);
        if (!answer.reachable()) {
            throw new CommandFailure("no Kafka broker answers at " + bootstrapServers + " (" + answer.problem()
                    + "): start one (./aidetect demo starts its own) or point " + option
                    + " (or KAFKA_BOOTSTRAP_SERVERS) at a running cluster");
        }
        return bootstrapServers;
    }
}
