package dev.aidetect.tools.bench;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.TopicAdmin;
import dev.aidetect.tools.cli.Progress;
import dev.aidetect.tools.stack.LocalStack;
import dev.aidetect.tools.stack.StackService;

/**
 * One stage of the pipeline alone, with nothing downstream of it: a fresh broker given the stage's input as the
 * pipeline run wrote it (the submissions on images.ingest at their offsets, since stages read pixels by reference, and
 * the records of the topics the stage reads), in two parts. The warm-up images' records come first and the service
 * starts on them; once it has written for each of them what it wrote in the pipeline run, the clock starts and the
 * timed images' records are written at once, a backlog far faster than any stage drains it. The clock stops when the
 * stage has written every timed image's output. The rate is the timed images (all of them, also those that needed no
 * work of this stage, so it compares with the pipeline's) over that time.
 */
final class StageBench {
    private static final Duration POLL = Duration.ofMillis(50);

    /** What a stage run measured, or why it has no figure ({@code failure} not null). */
    record Result(PipelineStage stage, int timedImages, double seconds, Map<String, ProcessFigures.Usage> processes,
            String failure) {
        static Result failed(PipelineStage stage, String why) {
            return new Result(stage, 0, Double.NaN, Map.of(), why);
        }

        /** Timed images per second (NaN when the run failed). */
        double imagesPerSecond() {
            return failure != null ? Double.NaN : timedImages / seconds;
        }
    }

    /** Where and how each stack of the benchmark starts: the same for the pipeline run and every stage run. */
    record Setup(Path projectRoot, Path workDir, int kafkaPort, int partitions,
            Map<StackService, Map<String, String>> serviceEnv) {
        LocalStack.Settings settings(String phase, String externalBootstrap) {
            return new LocalStack.Settings(projectRoot, workDir.resolve(phase), externalBootstrap, kafkaPort,
                    partitions, serviceEnv);
        }
    }

    private StageBench() {
    }

    static Result run(PipelineStage stage, Setup setup, TopicRecording recording,
            List<TopicRecording.SentSubmission> sent, ImageStore store, int warmUp, Duration timeout,
            PrintWriter log) {
        Map<String, Integer> expected = recording.progressRecordsByImage(stage);
        List<TopicRecording.SentSubmission> warm = sent.subList(0, Math.min(warmUp, sent.size()));
        List<TopicRecording.SentSubmission> timed = sent.subList(warm.size(), sent.size());
        Set<String> warmIds = ids(warm);
        Set<String> timedIds = ids(timed);
        if (timedIds.stream().noneMatch(expected::containsKey)) {
            return Result.failed(stage, "the pipeline run left it no work on the timed images");
        }
        String phase = "alone-" + stage.label();
        log.printf("[%s alone] a fresh broker with the pipeline run's input for it: %d submissions%s%n",
                stage.label(), sent.size(), stage.inputs().isEmpty()
                        ? ""
                        : ", " + String.join(", ",
                                stage.inputs()));
        try (LocalStack broker = LocalStack.start(setup.settings(phase + "/broker", null), log,
                EnumSet.noneOf(StackService.class))) {
            String bootstrap = broker.bootstrapServers();
            awaitWritable(bootstrap, timeout);
            // The other stages find pixels at the submissions' offsets: those must all be there from the start.
            TopicRecording.writeIngest(bootstrap, stage == PipelineStage.EMBEDDER ? warm : sent, store);
            recording.writeInto(bootstrap, stage.inputs(), warmIds);
            try (KafkaConsumer<byte[], byte[]> outputs = outputConsumer(bootstrap, stage);
                    LocalStack service = LocalStack.start(setup.settings(phase, bootstrap), log,
                            EnumSet.of(stage.service()))) {
                Completion done = new Completion(stage, expected);
                long deadline = System.nanoTime() + timeout.toNanos();
                done.await(outputs, warmIds, deadline, Progress.counter(stage.label() + " warm-up",
                        done.withWork(warmIds), log));
                Map<String, Long> pids = new LinkedHashMap<>();
                pids.put(stage.label(), service.pid(stage.service()));
                broker.brokerPid().ifPresent(pid -> pids.put("kafka", pid));
                pids.put("bench client", ProcessHandle.current().pid());
                ProcessFigures figures = new ProcessFigures(pids);
                Map<String, Double> cpuStart = figures.mark();
                long start = System.nanoTime();
                if (stage == PipelineStage.EMBEDDER) {
                    TopicRecording.writeIngest(bootstrap, timed, store);
                }
                recording.writeInto(bootstrap, stage.inputs(), timedIds);
                done.await(outputs, timedIds, deadline, Progress.counter(stage.label() + " timed",
                        done.withWork(timedIds), log));
                double seconds = (System.nanoTime() - start) / 1e9;
                log.printf("  %s alone: %d timed images in %.1f s%n", stage.label(), timed.size(), seconds);
                return new Result(stage, timed.size(), seconds, figures.since(cpuStart), null);
            } catch (TimeoutFailure e) {
                return Result.failed(stage, e.getMessage() + "; see " + setup.workDir().resolve(phase)
                        .resolve("logs"));
            }
        }
    }

    private static Set<String> ids(List<TopicRecording.SentSubmission> sent) {
        return sent.stream().map(s -> s.submission().imageId()).collect(Collectors.toSet());
    }

    /**
     * Waits until the fresh broker leads every partition of the pipeline topics and answers for it. A leader in the
     * metadata is not enough (TopicAdmin.awaitLeaders says why): an idempotent producer's first batch to a partition
     * the broker has not taken up yet is answered NOT_LEADER_OR_FOLLOWER although it was appended, and its retry is
     * then refused as out of sequence until the batch expires. Asking each partition's end offset waits for that.
     */
    private static void awaitWritable(String bootstrap, Duration timeout) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<String, TopicDescription> topics = TopicAdmin.awaitLeaders(admin, Topics.all().stream()
                    .map(t -> t.name()).collect(Collectors.toSet()), timeout);
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            topics.values().forEach(topic -> topic.partitions().forEach(p -> ends.put(new TopicPartition(
                    topic.name(), p.partition()), OffsetSpec.latest())));
            admin.listOffsets(ends).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the stage's fresh broker at " + bootstrap + " did not take up its "
                    + "topics' partitions: " + e.getMessage() + "; see its log in the work folder", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for topic leaders", e);
        }
    }

    /** Reads the stage's output topics from their start, committed records only, assigned (no group to join). */
    private static KafkaConsumer<byte[], byte[]> outputConsumer(String bootstrap, PipelineStage stage) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : stage.outputs()) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /** Which images the stage has finished: written as many progress records for as in the pipeline run. */
    private static final class Completion {
        private final PipelineStage stage;
        private final Map<String, Integer> expected;
        private final Map<String, Integer> written = new HashMap<>();
        private final Set<String> finished = new HashSet<>();

        Completion(PipelineStage stage, Map<String, Integer> expected) {
            this.stage = stage;
            this.expected = expected;
        }

        /** How many of {@code ids} the stage has work for. */
        int withWork(Set<String> ids) {
            return (int) ids.stream().filter(expected::containsKey).count();
        }

        /** Polls until every one of {@code ids} that has work is finished. */
        void await(KafkaConsumer<byte[], byte[]> outputs, Set<String> ids, long deadline, IntConsumer progress) {
            int total = withWork(ids);
            int done = (int) finished.stream().filter(ids::contains).count();
            while (done < total) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutFailure("finished " + done + " of " + total + " images in time");
                }
                for (ConsumerRecord<byte[], byte[]> r : outputs.poll(POLL)) {
                    if (r.key() == null || !stage.counts(r.topic(), r.value())) {
                        continue;
                    }
                    String id = new String(r.key(), StandardCharsets.UTF_8);
                    int count = written.merge(id, 1, Integer::sum);
                    // At least as many: a stage may write a record twice (its input is read at least once, and a
                    // rebalance repeats a poll), in the pipeline run or in this one.
                    int wanted = expected.getOrDefault(id, -1);
                    if (wanted > 0 && count >= wanted && finished.add(id) && ids.contains(id)) {
                        progress.accept(++done);
                    }
                }
            }
        }
    }

    /** The stage did not finish its backlog within the timeout: its figure is missing, the other runs go on. */
    private static final class TimeoutFailure extends RuntimeException {
        TimeoutFailure(String message) {
            super(message);
        }
    }
}
