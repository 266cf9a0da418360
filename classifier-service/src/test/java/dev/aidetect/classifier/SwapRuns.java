package dev.aidetect.classifier;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;

/** What the swap-under-load ITs share: the serving model of a slot, the outcomes of a run, their partition order. */
final class SwapRuns {
    private SwapRuns() {
    }

    /** The slot's entry in {@code GET /models}, once the service is ready. */
    static Map<String, String> awaitServing(String slot) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200).body("status", is("UP")));
        return given().get("/models").then().statusCode(200).extract().jsonPath()
                .getMap("find { it.slot == '" + slot + "' }", String.class, String.class);
    }

    /**
     * Every record on {@code topics} whose key ends with {@code run}, read as {@code read} says, by key: read until
     * {@code count} keys have one, and two seconds longer, for duplicates.
     */
    static <T> Map<String, List<T>> collect(String run, List<String> topics,
            Function<ConsumerRecord<String, byte[]>, T> read,
            int count) {
        Map<String, List<T>> byId = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = BrokerClients
                .consumer("swap-it-" + run + "-" + topics.hashCode())) {
            consumer.subscribe(topics);
            Runnable poll = () -> consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                if (record.key() != null && record.key().endsWith(run)) {
                    byId.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(read.apply(record));
                }
            });
            await().atMost(Duration.ofSeconds(180)).until(() -> {
                poll.run();
                return byId.size() >= count;
            });
            long settle = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                poll.run();
                return System.nanoTime() > settle;
            });
        }
        return byId;
    }

    /** The model version of each input record, per input partition in offset order. */
    static Map<Integer, List<String>> inPartitionOrder(Map<String, RecordMetadata> inputs,
            Map<String, String> versions) {
        Map<Integer, List<String>> order = new TreeMap<>();
        inputs.entrySet().stream()
                .sorted(Comparator.comparingLong(e -> e.getValue().offset()))
                .forEach(e -> order.computeIfAbsent(e.getValue().partition(), p -> new ArrayList<>())
                        .add(versions.get(e.getKey())));
        return order;
    }
}
