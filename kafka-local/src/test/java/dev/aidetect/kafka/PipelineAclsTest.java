package dev.aidetect.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

import dev.aidetect.schemas.Topics;

/**
 * The grants follow the services' own configuration: every channel's topic and group in each service's
 * {@code application.properties}, and the router's Kafka Streams source topics and application id, are allowed to
 * that service's principal. A channel added without its grant fails here, not on a secured cluster.
 */
class PipelineAclsTest {
    private static final Path ROOT = Path.of(System.getProperty("aidetect.project.root", "..")).toAbsolutePath();
    private static final Pattern CHANNEL = Pattern
            .compile("mp\\.messaging\\.(incoming|outgoing)\\.\"([^\"]+)\"\\.topic");

    @Test
    void everyServiceMayReadAndWriteTheTopicsOfItsChannelsInItsGroups() throws IOException {
        for (String[] service : new String[][]{{PipelineAcls.EMBEDDER, "embedder-service"},
                {PipelineAcls.CLASSIFIER, "classifier-service"}, {PipelineAcls.ROUTER, "hierarchy-router"}}) {
            Properties config = applicationProperties(service[1]);
            List<String> checked = new ArrayList<>();
            for (String key : config.stringPropertyNames()) {
                Matcher channel = CHANNEL.matcher(key);
                if (!channel.matches()) {
                    continue;
                }
                boolean incoming = channel.group(1).equals("incoming");
                String topic = config.getProperty(key);
                assertThat(allowed(service[0], ResourceType.TOPIC, topic,
                        incoming ? AclOperation.READ : AclOperation.WRITE))
                        .as("%s %s %s", service[0], incoming ? "reads" : "writes", topic).isTrue();
                String group = config.getProperty(key.replace(".topic", ".group.id"));
                if (incoming && group != null) {
                    assertThat(allowed(service[0], ResourceType.GROUP, group, AclOperation.READ))
                            .as("%s reads in group %s", service[0], group).isTrue();
                }
                checked.add(topic);
            }
            assertThat(checked).as(service[1] + " channels").isNotEmpty();
        }
    }

    @Test
    void theRoutersKafkaStreamsMayReadItsSourcesAndOwnItsInternalTopicsGroupAndTransactions() throws IOException {
        Properties config = applicationProperties("hierarchy-router");
        String applicationId = config.getProperty("quarkus.kafka-streams.application-id");

        for (String source : config.getProperty("quarkus.kafka-streams.topics").split(",")) {
            assertThat(allowed(PipelineAcls.ROUTER, ResourceType.TOPIC, source, AclOperation.READ)).as(source).isTrue();
        }
        assertThat(allowed(PipelineAcls.ROUTER, ResourceType.GROUP, applicationId, AclOperation.READ)).isTrue();
        assertThat(allowed(PipelineAcls.ROUTER, ResourceType.TOPIC, applicationId + "-router-cases-changelog",
                AclOperation.CREATE)).isTrue();
        assertThat(allowed(PipelineAcls.ROUTER, ResourceType.TRANSACTIONAL_ID, applicationId + "-3f0c-1",
                AclOperation.WRITE)).isTrue();
    }

    @Test
    void noServiceMayCreateAPipelineTopicAndOnlyThoseThatNeedTheIngestTopicMayReadIt() {
        for (String service : PipelineAcls.SERVICES) {
            for (var topic : Topics.all()) {
                assertThat(allowed(service, ResourceType.TOPIC, topic.name(), AclOperation.CREATE))
                        .as(service + " creates " + topic.name()).isFalse();
            }
        }
        assertThat(allowed(PipelineAcls.EMBEDDER, ResourceType.TOPIC, Topics.INGEST.name(), AclOperation.READ))
                .isTrue();
        assertThat(allowed(PipelineAcls.CLASSIFIER, ResourceType.TOPIC, Topics.INGEST.name(), AclOperation.READ))
                .isTrue();
        assertThat(allowed(PipelineAcls.ROUTER, ResourceType.TOPIC, Topics.INGEST.name(), AclOperation.READ)).isFalse();
    }

    /** Whether a grant of {@code principal} allows {@code operation} on the resource. */
    private static boolean allowed(String principal, ResourceType type, String name, AclOperation operation) {
        return PipelineAcls.grants().stream().filter(grant -> grant.principal().equals(principal))
                .filter(grant -> grant.type() == type)
                .filter(grant -> grant.pattern() == PatternType.LITERAL
                        ? grant.name().equals(name)
                        : name.startsWith(grant.name()))
                .anyMatch(grant -> grant.operation() == operation);
    }

    private static Properties applicationProperties(String module) throws IOException {
        Properties properties = new Properties();
        Path file = ROOT.resolve(module).resolve("src/main/resources/application.properties");
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }
}
