package dev.aidetect.router.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.aidetect.kafka.KafkaEndpoint;
import dev.aidetect.schemas.kafka.TopicAdmin;

/** The start-up check of images.ingest's retention, asking a real broker for a topic's effective retention.ms. */
class IngestRetentionCheckIT {
    private static final Duration LONGEST_CASE = Duration.ofMinutes(5);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    private static Admin admin;

    @BeforeAll
    static void connect() {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaEndpoint.bootstrapServers()));
    }

    @AfterAll
    static void disconnect() {
        admin.close();
    }

    @Test
    void findsATopicKeepingRecordsForOneMinuteTooShortForFiveMinuteCases() throws Exception {
        String topic = create("short-retention-" + RUN, Map.of(TopicConfig.RETENTION_MS_CONFIG, "60000"));

        IngestRetentionCheck.Finding finding = IngestRetentionCheck.check(admin, topic, LONGEST_CASE);

        assertThat(finding.ok()).isFalse();
        assertThat(finding.message()).contains("keeps records for only 60000 ms (retention.ms)");
    }

    @Test
    void acceptsTheBrokersDefaultRetentionOfAWeek() throws Exception {
        String topic = create("default-retention-" + RUN, Map.of());

        IngestRetentionCheck.Finding finding = IngestRetentionCheck.check(admin, topic, LONGEST_CASE);

        assertThat(finding.ok()).as(finding.message()).isTrue();
    }

    @Test
    void saysWhatToCheckByHandWhenTheTopicCannotBeDescribed() {
        IngestRetentionCheck.Finding finding = IngestRetentionCheck.check(admin, "no-such-topic-" + RUN,
                LONGEST_CASE);

        assertThat(finding.ok()).isFalse();
        assertThat(finding.message()).contains("Could not read no-such-topic-" + RUN + "'s retention.ms",
                "well above the longest case, PT5M");
    }

    private static String create(String name, Map<String, String> configs) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, 1, (short) 1).configs(configs))).all().get();
        // The brokers apply a created topic a moment after createTopics answers; until then it is unknown to them.
        TopicAdmin.awaitLeaders(admin, Set.of(name), Duration.ofSeconds(30));
        return name;
    }
}
