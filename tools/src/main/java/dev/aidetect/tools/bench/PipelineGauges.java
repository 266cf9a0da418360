package dev.aidetect.tools.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * What {@code aidetect soak} samples every few seconds while it feeds the pipeline: the lag of each of the pipeline's
 * consumer groups (the groups named {@code aidetect-*} that have members: each stage's input records not yet
 * committed, against the last stable offset, so transaction markers do not count), the resident set of each service
 * process ({@code VmRSS} in {@code /proc/<pid>/status}) and each service's heap in use
 * ({@code jvm_memory_used_bytes{area="heap"}} summed over the pools, from its {@code /q/metrics}).
 */
final class PipelineGauges implements AutoCloseable {
    static final String GROUP_PREFIX = "aidetect-";
    private static final long ADMIN_TIMEOUT_SECONDS = 10;
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(3);

    /**
     * One sample.
     *
     * @param lag per group: records not yet committed over its partitions that have a committed offset
     * @param committed per group: the sum of its committed offsets (how far it has come; its pace between samples)
     * @param rssMb per service process (NaN where it could not be read: the process is gone)
     * @param heapMb per service (NaN where /q/metrics did not answer)
     */
    record Sample(Map<String, Long> lag, Map<String, Long> committed, Map<String, Double> rssMb,
            Map<String, Double> heapMb) {
    }

    private final Admin admin;
    private final Map<String, Long> pids;
    private final Map<String, URI> metrics;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();

    /**
     * @param pids the service processes whose memory to read, by name
     * @param services each service's HTTP address (its /q/metrics gives the heap), by the same names
     */
    PipelineGauges(String bootstrap, Map<String, Long> pids, Map<String, URI> services) {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        this.admin = Admin.create(config);
        this.pids = new LinkedHashMap<>(pids);
        this.metrics = new LinkedHashMap<>();
        services.forEach((name, base) -> metrics.put(name, base.resolve("/q/metrics")));
    }

    Sample sample() {
        Map<String, Long> lag = new TreeMap<>();
        Map<String, Long> committed = new TreeMap<>();
        readLag(lag, committed);
        Map<String, Double> rss = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            long kb = ModeResult.statusKb(pid, "VmRSS:");
            rss.put(name, kb > 0 ? kb / 1024.0 : Double.NaN);
        });
        Map<String, Double> heap = new LinkedHashMap<>();
        metrics.forEach((name, uri) -> heap.put(name, heapUsedMb(uri)));
        return new Sample(lag, committed, rss, heap);
    }

    private void readLag(Map<String, Long> lag, Map<String, Long> committed) {
        try {
            Collection<GroupListing> groups = admin.listGroups(ListGroupsOptions.forConsumerGroups()).all()
                    .get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
            for (GroupListing group : groups) {
                boolean live = group.groupState().map(s -> !EnumSet.of(GroupState.EMPTY, GroupState.DEAD).contains(s))
                        .orElse(true);
                if (group.groupId().startsWith(GROUP_PREFIX) && live) {
                    specs.put(group.groupId(), new ListConsumerGroupOffsetsSpec());
                }
            }
            if (specs.isEmpty()) {
                return;
            }
            Map<String, Map<TopicPartition, OffsetAndMetadata>> offsets = admin.listConsumerGroupOffsets(specs).all()
                    .get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Set<TopicPartition> partitions = new HashSet<>();
            offsets.values().forEach(byPartition -> byPartition.forEach((tp, offset) -> {
                if (offset != null) {
                    partitions.add(tp);
                }
            }));
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin
                    .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            offsets.forEach((group, byPartition) -> {
                long behind = 0;
                long done = 0;
                for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : byPartition.entrySet()) {
                    if (entry.getValue() != null && ends.containsKey(entry.getKey())) {
                        behind += Math.max(0, ends.get(entry.getKey()).offset() - entry.getValue().offset());
                        done += entry.getValue().offset();
                    }
                }
                lag.put(group, behind);
                committed.put(group, done);
            });
        } catch (ExecutionException | TimeoutException e) {
            // A sample without lag: the interval keeps the others; a broker that stays away fails the run elsewhere.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private double heapUsedMb(URI uri) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(HTTP_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? heapUsedBytes(response.body()) / (1024.0 * 1024) : Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    /** The heap in use in a Prometheus text exposition: every jvm_memory_used_bytes series of area "heap", summed. */
    static double heapUsedBytes(String exposition) {
        double sum = 0;
        boolean found = false;
        for (String line : exposition.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                String[] parts = line.substring(line.lastIndexOf('}') + 1).trim().split("\\s+");
                sum += Double.parseDouble(parts[0]);
                found = true;
            }
        }
        return found ? sum : Double.NaN;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
