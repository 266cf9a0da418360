package dev.aidetect.classifier.originals;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

import dev.aidetect.schemas.Topics;

/** The claim-check consumer takes the service's shared Kafka settings and only adds what reading by offset needs. */
class ClaimCheckConsumerConfigTest {
    private static final Map<String, Object> SHARED = Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker-1:9093",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            ConsumerConfig.GROUP_ID_CONFIG, "classifier-service");

    @Test
    void keepsTheSharedConnectionAndSecuritySettings() {
        Map<String, Object> config = ClaimCheckReader.consumerConfig(SHARED, "claim-check-gan");

        assertThat(config).containsEntry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker-1:9093")
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry(ConsumerConfig.CLIENT_ID_CONFIG, "claim-check-gan");
    }

    @Test
    void readsByOffsetWithoutAGroupAndOnlyCommittedRecords() {
        Map<String, Object> config = ClaimCheckReader.consumerConfig(SHARED, "claim-check-gan");

        assertThat(config).doesNotContainKey(ConsumerConfig.GROUP_ID_CONFIG)
                .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    }

    @Test
    void fetchesTheLargestRecordImagesIngestTakes() {
        Map<String, Object> config = ClaimCheckReader.consumerConfig(SHARED, "claim-check-gan");

        assertThat((int) config.get(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG))
                .isGreaterThanOrEqualTo(Topics.INGEST_MAX_MESSAGE_BYTES);
        assertThat((int) config.get(ConsumerConfig.FETCH_MAX_BYTES_CONFIG))
                .isGreaterThanOrEqualTo(Topics.INGEST_MAX_MESSAGE_BYTES);
    }

    @Test
    void keepsALargerFetchSizeOfTheSharedSettings() {
        Map<String, Object> config = ClaimCheckReader.consumerConfig(
                Map.of(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(Topics.INGEST_MAX_MESSAGE_BYTES * 2)),
                "claim-check-gan");

        assertThat(config).containsEntry(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Topics.INGEST_MAX_MESSAGE_BYTES * 2);
    }
}
