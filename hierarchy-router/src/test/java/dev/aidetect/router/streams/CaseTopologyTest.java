package dev.aidetect.router.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

import dev.aidetect.schemas.Topics;

/**
 * The topology's wiring: which topics it reads and writes (verdicts.final too, back into the global verdict store),
 * and that start-up waits for exactly those it reads.
 */
class CaseTopologyTest {
    private final TopologyDescription description = CaseTopology
            .build(new StreamsBuilder(), RouterSettings.defaults(), CaseObserver.NONE).describe();

    @Test
    void readsReceiptsEmbeddingsRejectionsAndTheThreeVerdictTopicsButNeverTheImageBytesOnIngest() {
        assertThat(nodes(TopologyDescription.Source.class).stream().flatMap(s -> s.topicSet().stream()))
                .containsExactlyInAnyOrder(Topics.RECEIVED.name(), Topics.EMBEDDED.name(), Topics.REJECTED.name(),
                        Topics.DETECTION_VERDICTS.name(), Topics.FAMILY_VERDICTS.name(),
                        Topics.ATTRIBUTION_VERDICTS.name());
    }

    @Test
    void writesRequestsOfEveryStageAndFamilyAndTheFinalVerdicts() {
        assertThat(nodes(TopologyDescription.Sink.class).stream().map(TopologyDescription.Sink::topic))
                .containsExactlyInAnyOrder(Topics.FAMILY_REQUESTS.name(), Topics.GAN_ATTRIBUTION_REQUESTS.name(),
                        Topics.DIFFUSION_ATTRIBUTION_REQUESTS.name(), Topics.FINAL.name());
    }

    @Test
    void startupWaitsForExactlyTheTopicsTheTopologyReads() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        Set<String> awaited = Set.of(properties.getProperty("quarkus.kafka-streams.topics").split(","));

        Set<String> read = new HashSet<>(nodes(TopologyDescription.Source.class).stream()
                .flatMap(s -> s.topicSet().stream()).toList());
        description.globalStores().forEach(store -> read.addAll(store.source().topicSet()));

        assertThat(awaited).isEqualTo(read);
    }

    @Test
    void readsTheFinalVerdictsBackIntoAGlobalStore() {
        assertThat(description.globalStores()).singleElement().satisfies(store -> {
            assertThat(store.source().topicSet()).containsExactly(Topics.FINAL.name());
            assertThat(store.processor().stores()).containsExactly(CaseTopology.FINALS_STORE);
        });
    }

    private <T extends TopologyDescription.Node> List<T> nodes(Class<T> type) {
        return description.subtopologies().stream()
                .flatMap(s -> s.nodes().stream())
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }
}
