package dev.aidetect.tools.bench;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

import dev.aidetect.embedding.EmbeddingEngine;
import dev.aidetect.embedding.EmbeddingListener;
import dev.aidetect.embedding.EngineSettings;
import dev.aidetect.embedding.ImagePreparer;
import dev.aidetect.embedding.ResultSink;
import dev.aidetect.embedding.Submission;
import dev.aidetect.embedding.UriFetcher;
import dev.aidetect.imaging.decode.DecodeLimits;
import dev.aidetect.imaging.decode.ImageRejectedException;
import dev.aidetect.imaging.encoder.EncoderDevice;
import dev.aidetect.imaging.encoder.EncoderPrecision;
import dev.aidetect.imaging.encoder.ImageEncoder;
import dev.aidetect.imaging.encoder.ModelCache;
import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.ImageSubmitted;

/**
 * The JVM side of {@code bench embed}, run in a child process per mode so its peak memory is its own. Both modes run
 * the embedder's own {@link EmbeddingEngine}, loaded and threaded as the service loads it (libtorch's thread count is
 * fixed when it loads, so one process measures one layout). {@code ceiling}: the engine's encoder alone on ready
 * tensors, back-to-back passes of the batch size on each inference thread. {@code inprocess}: the engine itself, the
 * embedder without Kafka: every image handed over in one call, as one poll, as an {@code ImageSubmitted} with its JPEG
 * inline; decoded and preprocessed on {@code threads} decode threads, micro-batched (max-wait as the service's) onto
 * the inference threads, each embedding handed over as it exists. Prints one JSON line ({@link ModeResult}) on stdout.
 *
 * <p>
 * Decode threads run at the embedder's default priority; {@code -Daidetect.bench.decode-nice=N} (for instance through
 * {@code JDK_JAVA_OPTIONS}) runs them at nice N, as {@code aidetect.embedder.decode-nice} does in the service;
 * {@code -Daidetect.bench.draft-decode=true} decodes in draft mode, as {@code aidetect.embedder.draft-decode}. JPEGs
 * go through libjpeg-turbo where it is installed, else ImageIO ({@code aidetect.embedder.jpeg-decoder=auto}).
 *
 * <p>
 * Arguments: {@code MODE MANIFEST IMAGES BATCH THREADS INFERENCE_THREADS PRECISION DEVICE FILE...} (precision and device as the
 * {@link EncoderPrecision} and {@link EncoderDevice} constants)
 */
public final class EmbedWorker {
    /** TorchScript's profiling executor optimises the graph on the second run: time from the third on. */
    static final int WARM_UP_PASSES = 2;
    private static final Duration PROGRESS_EVERY = Duration.ofMillis(200);

    /** System property: decode JPEGs in draft mode, as the embedder with {@code aidetect.embedder.draft-decode}. */
    static final String DRAFT_DECODE = "aidetect.bench.draft-decode";
    /** System property: the decode threads' nice, as the embedder's {@code aidetect.embedder.decode-nice}. */
    static final String DECODE_NICE = "aidetect.bench.decode-nice";

    private EmbedWorker() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int images = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        ThreadBudget threads = new ThreadBudget(Integer.parseInt(args[4]), Integer.parseInt(args[5]));
        EngineSettings settings = settings(Path.of(args[1]), batch, threads, EncoderPrecision.valueOf(args[6]),
                EncoderDevice.valueOf(args[7]));
        List<Path> files = Arrays.stream(args, 8, args.length).map(Path::of).toList();
        try (EmbeddingEngine engine = new EmbeddingEngine(settings, UriFetcher.NONE, EmbeddingListener.NONE)) {
            engine.load();
            List<byte[]> jpegs = BenchImages.read(files, images);
            ModeResult result = switch (mode) {
                case "ceiling" -> ceiling(engine, jpegs, batch);
                case "inprocess" -> inprocess(engine, jpegs, batch);
                default -> throw new IllegalArgumentException("unknown mode " + mode + ": ceiling or inprocess");
            };
            System.out.println(result.toJson());
        }
    }

    /**
     * The embedder's settings for this run: its defaults (max-wait, passive OpenMP threads, decode limits) but for the
     * benchmark's options. Passive OpenMP threads (sleeping rather than spinning at a barrier) were also the faster
     * setting for the encoder alone here (ceiling 14.3 vs 13.5 img/s), so the ceiling stays the best this machine does.
     */
    static EngineSettings settings(Path manifest, int batch, ThreadBudget threads, EncoderPrecision precision,
            EncoderDevice device) {
        return new EngineSettings(List.of(manifest.toString()), ModelCache.defaultRoot(), false, device, precision,
                DecodeLimits.defaults(), "auto", Boolean.getBoolean(DRAFT_DECODE), batch,
                Duration.ofMillis(EngineSettings.DEFAULT_MAX_WAIT_MILLIS), OptionalInt.of(threads.total()),
                Integer.getInteger(DECODE_NICE, 0), OptionalInt.of(threads.inference()),
                OptionalInt.of(threads.torchEach()), EngineSettings.DEFAULT_TORCH_INTEROP_THREADS,
                EngineSettings.DEFAULT_OMP_WAIT_POLICY);
    }

    /**
     * Back-to-back passes on ready tensors, on {@code workers} threads of their own (as the embedder's inference
     * threads, not the JVM's main thread), each taking the next batch of images until none are left.
     */
    private static ModeResult ceiling(EmbeddingEngine engine, List<byte[]> jpegs, int batch)
            throws InterruptedException {
        ImageEncoder encoder = engine.encoder();
        int workers = engine.inferenceThreads();
        float[] tensors = new float[batch * encoder.preprocessor().floatsPerImage()];
        AtomicInteger slots = new AtomicInteger();
        for (int i = 0; i < batch; i++) {
            prepare(engine.preparer(), submission(i, jpegs.get(i % jpegs.size())).record(), encoder, tensors, slots);
        }
        double[] latencies = new double[jpegs.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        long[] start = new long[1];
        MachineIdle[] idle = new MachineIdle[1];
        // The clock starts once every thread's own predictor has warmed up, before any of them goes on.
        CyclicBarrier warm = new CyclicBarrier(workers, () -> {
            idle[0] = new MachineIdle();
            start[0] = System.nanoTime();
        });
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            threads.add(Thread.ofPlatform().name("ceiling-inference-" + w).start(() -> {
                float[] own = tensors.clone();
                for (int pass = 0; pass < WARM_UP_PASSES; pass++) {
                    encoder.embed(own, batch);
                }
                await(warm);
                for (int first = next.getAndAdd(batch); first < jpegs.size(); first = next.getAndAdd(batch)) {
                    int count = Math.min(batch, jpegs.size() - first);
                    encoder.embed(own, count);
                    Arrays.fill(latencies, first, first + count, (System.nanoTime() - start[0]) / 1e6);
                    progress("ceiling", done.addAndGet(count), jpegs.size());
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        System.err.println("  ceiling: " + idle[0].report());
        return result("ceiling", latencies);
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (InterruptedException | BrokenBarrierException e) {
            throw new IllegalStateException("a ceiling thread stopped during warm-up", e);
        }
    }

    private static ModeResult inprocess(EmbeddingEngine engine, List<byte[]> jpegs, int batch)
            throws InterruptedException {
        embedAll("warm-up", engine, submissions(BenchImages.cycle(jpegs, WARM_UP_PASSES * batch
                * engine.inferenceThreads())));
        List<Submission> timed = submissions(jpegs);
        MachineIdle idle = new MachineIdle();
        double[] latencies = embedAll("inprocess", engine, timed);
        System.err.println("  inprocess: " + idle.report());
        return result("inprocess", latencies);
    }

    /** Each JPEG as a submission with its content inline, its id its index. */
    private static List<Submission> submissions(List<byte[]> jpegs) {
        List<Submission> submissions = new ArrayList<>(jpegs.size());
        for (int i = 0; i < jpegs.size(); i++) {
            submissions.add(submission(i, jpegs.get(i)));
        }
        return submissions;
    }

    private static Submission submission(int index, byte[] jpeg) {
        ImageSubmitted record = ImageSubmitted.newBuilder().setImageId(String.valueOf(index))
                .setSubmittedAt(Instant.now()).setSource("bench")
                .setImage(ImageContent.newBuilder().setContent(ByteBuffer.wrap(jpeg)).build()).build();
        // No Kafka record to keep for a replay: a rejection fails the benchmark anyway.
        return new Submission(record, null);
    }

    /**
     * Hands every submission to the engine in one call, as a poll; an image's latency ends when the engine hands its
     * embedding over. Progress is printed from this thread: the sink runs on the inference threads, which the
     * benchmark must not slow with its own output.
     */
    private static double[] embedAll(String label, EmbeddingEngine engine, List<Submission> submissions)
            throws InterruptedException {
        double[] latencies = new double[submissions.size()];
        AtomicInteger done = new AtomicInteger();
        long start = System.nanoTime();
        CompletableFuture<?> call = CompletableFuture.runAsync(() -> engine.embed(submissions, new ResultSink() {
            @Override
            public CompletableFuture<Void> embedded(ImageEmbedding embedding) {
                latencies[Integer.parseInt(embedding.getImageId())] = (System.nanoTime() - start) / 1e6;
                done.incrementAndGet();
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<Void> rejected(ImageRejected rejection) {
                return CompletableFuture.failedFuture(new IllegalStateException("a benchmark photo was rejected: "
                        + rejection.getReason() + ": " + rejection.getMessage()));
            }
        }), task -> Thread.ofPlatform().name("bench-caller").start(task));
        while (!call.isDone()) {
            if (done.get() < submissions.size()) { // the last line once, below
                progress(label, done.get(), submissions.size());
            }
            Thread.sleep(PROGRESS_EVERY);
        }
        call.join();
        progress(label, submissions.size(), submissions.size());
        return latencies;
    }

    private static void prepare(ImagePreparer preparer, ImageSubmitted submission, ImageEncoder encoder,
            float[] tensors, AtomicInteger slots) {
        try {
            preparer.prepare(submission, encoder.preprocessor(), tensors, slots);
        } catch (ImageRejectedException e) {
            throw new IllegalStateException("a benchmark photo did not decode: " + e.getMessage(), e);
        }
    }

    private static ModeResult result(String mode, double[] latencies) {
        double seconds = Arrays.stream(latencies).max().orElse(0) / 1000;
        return new ModeResult(mode, latencies.length, seconds, latencies, ModeResult.peakRssKb(ProcessHandle.current()
                .pid()));
    }

    private static synchronized void progress(String mode, int done, int total) {
        System.err.printf("\r  %s: %d/%d images", mode, done, total);
        if (done == total) {
            System.err.println();
        }
    }
}
