package dev.aidetect.router.health;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

import dev.aidetect.router.config.RouterConfig;
import dev.aidetect.router.streams.RouterSettings;
import dev.aidetect.schemas.Topics;

/**
 * Checks once at start-up that {@code images.ingest} keeps its records longer than the longest case: the stage that
 * needs an inline image's pixels reads them from the image's {@code images.ingest} record (Kafka is the claim-check
 * store), at any time while the case is open. A retention that is too short makes late attribution requests find the
 * record gone, so the router says so in a WARN naming the topic property to raise.
 *
 * <p>
 * It warns rather than refusing to start: the topic belongs to the operators (and its producers), a cluster may not
 * let the router describe it, and a router that runs decides every REAL image and every image sent by uri; refusing to
 * start would stop all of them for a risk to some fakes.
 */
@ApplicationScoped
public class IngestRetentionCheck {
    private static final Logger LOG = Logger.getLogger(IngestRetentionCheck.class);
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

    private final RouterConfig config;
    private final String bootstrapServers;

    public IngestRetentionCheck(RouterConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    void check(@Observes StartupEvent event) {
        RouterSettings settings = RouterSettings.of(config);
        if (!settings.readsPixels()) {
            LOG.debugf("No stage of %s reads pixels: %s's retention does not matter to the router", settings.stages(),
                    Topics.INGEST.name());
            return;
        }
        Finding finding;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ASK_TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ASK_TIMEOUT.toMillis()))) {
            finding = check(admin, Topics.INGEST.name(), settings.longestCase());
        } catch (KafkaException e) {
            // A check that cannot run must not stop the router: say what to check by hand instead.
            finding = unknown(Topics.INGEST.name(), settings.longestCase(), e.toString());
        }
        if (finding.ok()) {
            LOG.info(finding.message());
        } else {
            LOG.warn(finding.message());
        }
    }

    /** What {@link #check(Admin, String, Duration)} found: whether the retention is long enough, and in words. */
    public record Finding(boolean ok, String message) {
    }

    /** Reads {@code topic}'s effective {@code retention.ms} and holds it to {@code longestCase}. */
    public static Finding check(Admin admin, String topic, Duration longestCase) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            ConfigEntry entry = admin.describeConfigs(List.of(resource)).all()
                    .get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(resource)
                    .get(TopicConfig.RETENTION_MS_CONFIG);
            if (entry == null || entry.value() == null) {
                return unknown(topic, longestCase, "the cluster did not say");
            }
            return judge(topic, Long.parseLong(entry.value()), longestCase);
        } catch (ExecutionException | TimeoutException | NumberFormatException e) {
            return unknown(topic, longestCase, e.getCause() != null ? e.getCause().toString() : e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unknown(topic, longestCase, "interrupted");
        }
    }

    /** Whether records kept for {@code retentionMs} (-1: for ever) outlive a case of {@code longestCase}. */
    static Finding judge(String topic, long retentionMs, Duration longestCase) {
        if (retentionMs < 0 || retentionMs > longestCase.toMillis()) {
            return new Finding(true, topic + " keeps records for " + (retentionMs < 0 ? "ever" : retentionMs + " ms")
                    + " (retention.ms), longer than the longest case (" + longestCase + "): pixels stay readable by"
                    + " reference for every open case");
        }
        return new Finding(false, topic + " keeps records for only " + retentionMs + " ms (retention.ms), but a case"
                + " can stay open for " + longestCase + " (aidetect.router.stage-timeout for each thing it waits for)"
                + " and the stage that needs an inline image's pixels reads them from its " + topic + " record while"
                + " the case is open: raise the topic's retention.ms well above that, allowing for the embedder's lag"
                + " too (e.g. kafka-configs.sh --alter --entity-type topics --entity-name " + topic
                + " --add-config retention.ms=604800000, 7 days), or lower aidetect.router.stage-timeout; otherwise"
                + " fakes whose record is gone end REJECTED at attribution");
    }

    private static Finding unknown(String topic, Duration longestCase, String why) {
        return new Finding(false, "Could not read " + topic + "'s retention.ms (" + why + "); make sure it is well"
                + " above the longest case, " + longestCase + ": the stage that needs an inline image's pixels reads"
                + " them from its " + topic + " record while the case is open (allow the router DescribeConfigs on"
                + " the topic to have this checked at start-up)");
    }
}
