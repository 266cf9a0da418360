package dev.aidetect.tools.bench;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.aidetect.imaging.encoder.EncoderDevice;
import dev.aidetect.imaging.encoder.EncoderPrecision;
import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.KafkaClientSettings;
import dev.aidetect.tools.stack.LocalStack;
import dev.aidetect.tools.stack.StackService;

/**
 * The {@code kafka} mode: a broker and the packaged embedder-service as processes (the local stack, embedder only),
 * pointed at the benchmark encoder. Produces the images as {@code ImageSubmitted} records in one burst and reads
 * {@code images.embedded}: throughput is images / (last embedding received - first submission), latency is each
 * image's submission to its embedding's arrival; peak memory is the embedder process's.
 */
final class KafkaBench {
    private static final Duration POLL = Duration.ofMillis(100);

    private KafkaBench() {
    }

    /**
     * @param workDir broker data and logs of this run
     * @param cluster an existing cluster, or null to start a broker
     * @param kafkaConfigFile the existing cluster's client settings file, or null
     */
    static ModeResult run(Path root, Path workDir, KafkaClientSettings cluster, Path kafkaConfigFile, Path manifest,
            List<byte[]> jpegs, int batch,
            ThreadBudget threads, Duration timeout, EncoderPrecision precision, EncoderDevice device,
            boolean draftDecode, PrintWriter log) {
        Map<String, String> env = new HashMap<>(Map.of("AIDETECT_EMBEDDER_ENCODER_MANIFEST",
                manifest.toAbsolutePath().toString(), "AIDETECT_EMBEDDER_MAX_BATCH", String.valueOf(batch),
                "AIDETECT_EMBEDDER_DECODE_THREADS", String.valueOf(threads.total()),
                "AIDETECT_EMBEDDER_INFERENCE_THREADS", String.valueOf(threads.inference()), "OMP_NUM_THREADS",
                String.valueOf(threads.torchEach()), "JAVA_TOOL_OPTIONS", "-Dai.djl.pytorch.num_threads="
                        + threads.torchEach() + " -Dai.djl.pytorch.num_interop_threads=1"));
        env.put("AIDETECT_EMBEDDER_PRECISION", precision.label());
        env.put("AIDETECT_EMBEDDER_DEVICE", device.name().toLowerCase(Locale.ROOT));
        env.put("AIDETECT_EMBEDDER_DRAFT_DECODE", String.valueOf(draftDecode));
        LocalStack.Settings settings = new LocalStack.Settings(root, workDir,
                cluster == null ? null : cluster.bootstrapServers(), 0, 3, Map.of(StackService.EMBEDDER, env), Map.of(),
                kafkaConfigFile);
        log.println("  kafka: starting a broker and the embedder-service (log in " + workDir + "/logs)");
        try (LocalStack stack = LocalStack.start(settings, log,
                EnumSet.of(StackService.EMBEDDER));
                KafkaProducer<String, byte[]> producer = producer(stack.clientSettings());
                KafkaConsumer<String, byte[]> consumer = consumer(stack.clientSettings())) {
            String run = Long.toString(System.currentTimeMillis(), 36);
            exchange(producer, consumer, "warmup-" + run,
                    BenchImages.cycle(jpegs, EmbedWorker.WARM_UP_PASSES * batch * threads.inference()), timeout, log);
            CpuTime cpu = new CpuTime(stack.pid(StackService.EMBEDDER), stack.brokerPid());
            MachineIdle idle = new MachineIdle();
            Exchange timed = exchange(producer, consumer, "bench-" + run, jpegs, timeout, log);
            log.println("  kafka (bench): " + cpu.report(timed.seconds()) + "; " + idle.report());
            return new ModeResult("kafka", jpegs.size(), timed.seconds(), timed.latencies(),
                    ModeResult.peakRssKb(stack.pid(StackService.EMBEDDER)));
        }
    }

    /**
     * CPU time the embedder, the broker and this client used since construction: on a small machine the broker and
     * the client run on the cores the embedder's encoder would otherwise have, which the ceiling does not pay for.
     */
    private record CpuTime(long embedder, OptionalLong broker, Map<String, Duration> start) {
        CpuTime(long embedder, OptionalLong broker) {
            this(embedder, broker, new HashMap<>());
            start.putAll(now());
        }

        private Map<String, Duration> now() {
            Map<String, Duration> used = new HashMap<>();
            used.put("embedder", cpu(embedder));
            broker.ifPresent(pid -> used.put("broker", cpu(pid)));
            used.put("this client", ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO));
            return used;
        }

        String report(double seconds) {
            Map<String, Duration> end = now();
            StringBuilder line = new StringBuilder("CPU during the timed run:");
            for (String process : List.of("embedder", "broker", "this client")) {
                if (end.containsKey(process)) {
                    line.append(String.format(Locale.ROOT, " %s %.1f s,", process,
                            (end.get(process).toMillis() - start.get(process).toMillis()) / 1000.0));
                }
            }
            return line.append(String.format(Locale.ROOT, " of %d cores x %.1f s",
                    Runtime.getRuntime().availableProcessors(), seconds)).toString();
        }

        private static Duration cpu(long pid) {
            return ProcessHandle.of(pid).flatMap(handle -> handle.info().totalCpuDuration()).orElse(Duration.ZERO);
        }
    }

    /** Per image, milliseconds from its submission to its embedding's arrival; seconds from first to last. */
    private record Exchange(double[] latencies, double seconds) {
    }

    /** Sends the images in one burst and waits for every embedding. */
    private static Exchange exchange(KafkaProducer<String, byte[]> producer, KafkaConsumer<String, byte[]> consumer,
            String prefix, List<byte[]> jpegs, Duration timeout, PrintWriter log) {
        long start = System.nanoTime();
        long[] sent = new long[jpegs.size()];
        for (int i = 0; i < jpegs.size(); i++) {
            String id = prefix + "-" + i;
            ImageSubmitted submission = ImageSubmitted.newBuilder().setImageId(id).setSubmittedAt(Instant.now())
                    .setSource("bench").setImage(ImageContent.newBuilder()
                            .setContentType("image/jpeg").setContent(ByteBuffer.wrap(jpegs.get(i))).build())
                    .build();
            sent[i] = System.nanoTime() - start;
            producer.send(new ProducerRecord<>(Topics.INGEST.name(), id,
                    Topics.INGEST.valueSerde().serializer().serialize(Topics.INGEST.name(), submission)));
        }
        producer.flush();
        double[] latencies = new double[jpegs.size()];
        SortedMap<Integer, Integer> imagesByPassSize = new TreeMap<>(Comparator.reverseOrder());
        int received = 0;
        long last = 0;
        long deadline = start + timeout.toNanos();
        while (received < jpegs.size()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + received + " of " + jpegs.size()
                        + " embeddings arrived within " + timeout + "; see the embedder log");
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                long now = System.nanoTime() - start;
                if (record.key() == null || !record.key().startsWith(prefix + "-")) {
                    continue;
                }
                if (record.topic().equals(Topics.REJECTED.name())) {
                    throw new IllegalStateException("the embedder rejected benchmark image " + record.key() + ": "
                            + Topics.REJECTED.valueSerde().deserializer().deserialize(record.topic(), record.value())
                                    .getMessage());
                }
                int i = Integer.parseInt(record.key().substring(prefix.length() + 1));
                latencies[i] = (now - sent[i]) / 1e6;
                int passSize = Topics.EMBEDDED.valueSerde().deserializer().deserialize(record.topic(), record.value())
                        .getTimings().getBatchSize();
                imagesByPassSize.merge(passSize, 1, Integer::sum);
                last = now;
                received++;
                log.printf("\r  kafka (%s): %d/%d images", prefix.split("-")[0], received, jpegs.size());
            }
        }
        log.println();
        // Every pass size is a separate input shape to libtorch: how the burst was cut into passes explains a gap.
        StringBuilder passes = new StringBuilder();
        imagesByPassSize.forEach((size, images) -> passes.append(passes.isEmpty() ? "" : ", ")
                .append(images / size).append(" of ").append(size));
        log.println("  kafka (" + prefix.split("-")[0] + "): passes " + passes);
        return new Exchange(latencies, (last - sent[0]) / 1e9);
    }

    private static KafkaProducer<String, byte[]> producer(KafkaClientSettings cluster) {
        Map<String, Object> config = cluster.producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.INGEST_MAX_MESSAGE_BYTES));
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** Reads both result topics from their current end, assigned directly (no group rebalance to wait for). */
    private static KafkaConsumer<String, byte[]> consumer(KafkaClientSettings cluster) {
        Map<String, Object> config = cluster.consumer(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.EMBEDDED.name(), Topics.REJECTED.name())) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }
}
