package dev.aidetect.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.TopicAdmin;

/**
 * Three KRaft nodes in this JVM (the node processes of {@code tools}' stack run the same code): pipeline topics get
 * three copies and min ISR 2, one node can stop while acks=all producers go on, and it comes back on its own data.
 */
class LocalKafkaClusterTest {
    private static final int NODES = 3;

    @Test
    void keepsEveryAcknowledgedRecordWhileOneOfThreeNodesIsDownAndTakesTheNodeBackOnItsData(@TempDir Path dir)
            throws Exception {
        // given a cluster of three with the pipeline topics
        LocalKafkaCluster cluster = LocalKafkaCluster.plan(NODES, dir, LocalKafkaBroker::freePort);
        Map<Integer, LocalKafkaBroker> running = new HashMap<>(startSideBySide(cluster, List.of(1, 2, 3)));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers()));
                KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"),
                        new StringSerializer(), new StringSerializer())) {
            TopicAdmin.ensure(cluster.bootstrapServers(), 3, cluster.replicationFactor());
            TopicDescription ingest = admin.describeTopics(Set.of(Topics.INGEST.name())).allTopicNames().get()
                    .get(Topics.INGEST.name());
            assertThat(ingest.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
            String minIsr = admin.describeConfigs(Set.of(new ConfigResource(ConfigResource.Type.TOPIC,
                    Topics.INGEST.name()))).all().get().values().iterator().next().get("min.insync.replicas").value();
            assertThat(minIsr).isEqualTo("2");
            send(producer, 0, 100);

            // when node 2 stops, records keep coming, and it starts again on its data
            running.remove(2).close();
            send(producer, 100, 200);
            running.putAll(startSideBySide(cluster, List.of(2)));
            send(producer, 200, 300);

            // then every record is there, and node 2 is back in every partition's in-sync replicas
            assertThat(readAll(cluster.bootstrapServers())).containsExactlyElementsOf(
                    IntStream.range(0, 300).mapToObj(i -> "image-" + i).toList());
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                    admin.describeTopics(Set.of(Topics.INGEST.name())).allTopicNames().get()
                            .get(Topics.INGEST.name()).partitions())
                    .extracting(TopicPartitionInfo::isr).allSatisfy(isr -> assertThat(isr).hasSize(3)));
        } finally {
            // Side by side: a node stopping alone after the others waits minutes for a controller to approve it.
            running.values().stream().map(node -> CompletableFuture.runAsync(node::close)).toList()
                    .forEach(CompletableFuture::join);
        }
    }

    /** A node's start returns once a majority of the quorum runs, so the nodes start side by side. */
    private static Map<Integer, LocalKafkaBroker> startSideBySide(LocalKafkaCluster cluster, List<Integer> ids) {
        Map<Integer, CompletableFuture<LocalKafkaBroker>> starting = new HashMap<>();
        ids.forEach(id -> starting.put(id, CompletableFuture.supplyAsync(() -> LocalKafkaBroker.startNode(cluster,
                id))));
        Map<Integer, LocalKafkaBroker> started = new HashMap<>();
        starting.forEach((id, future) -> started.put(id, future.join()));
        return started;
    }

    /** Sends image-{from}..image-{to - 1} to partition 0 of images.ingest, each acknowledged by two copies or more. */
    private static void send(KafkaProducer<String, String> producer, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            producer.send(new ProducerRecord<>(Topics.INGEST.name(), 0, "image-" + i, "image-" + i)).get();
        }
    }

    private static List<String> readAll(String bootstrapServers) {
        List<String> values = new ArrayList<>();
        TopicPartition partition = new TopicPartition(Topics.INGEST.name(), 0);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                return values.size() >= 300;
            });
        }
        return values;
    }
}
