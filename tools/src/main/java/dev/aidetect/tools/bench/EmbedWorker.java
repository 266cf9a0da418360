package dev.aidetect.tools.bench;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.aidetect.embedding.DecodeThreads;
import dev.aidetect.embedding.MicroBatcher;
import dev.aidetect.embedding.TorchThreads;
import dev.aidetect.imaging.DecodeLimits;
import dev.aidetect.imaging.EncoderDevice;
import dev.aidetect.imaging.EncoderLoader;
import dev.aidetect.imaging.EncoderManifest;
import dev.aidetect.imaging.EncoderPrecision;
import dev.aidetect.imaging.ImageDecoder;
import dev.aidetect.imaging.ImageEncoder;
import dev.aidetect.imaging.ImageRejectedException;
import dev.aidetect.imaging.ModelCache;
import dev.aidetect.imaging.Preprocessor;

/**
 * The JVM side of {@code bench embed}, run in a child process per mode so its peak memory is its own.
 * {@code ceiling}: the encoder alone on ready tensors, back-to-back passes of the batch size on each inference thread.
 * {@code inprocess}: the embedder's own path without Kafka: the JPEG bytes decoded and preprocessed in parallel on
 * {@code threads} threads into pooled buffers, batched by the embedder's {@link MicroBatcher} (max-wait 10 ms) onto
 * its inference threads. Both share the cores out among the inference threads as the embedder does (libtorch's
 * thread count is fixed when it loads, so one process measures one layout). Prints one JSON line ({@link ModeResult})
 * on stdout.
 *
 * <p>
 * Decode threads run at the embedder's default priority; {@code -Daidetect.bench.decode-nice=N} (for instance through
 * {@code JDK_JAVA_OPTIONS}) runs them at nice N, as {@code aidetect.embedder.decode-nice} does in the service;
 * {@code -Daidetect.bench.draft-decode=true} decodes in draft mode, as {@code aidetect.embedder.draft-decode}.
 *
 * <p>
 * Arguments: {@code MODE MANIFEST IMAGES BATCH THREADS INFERENCE_THREADS PRECISION DEVICE FILE...} (precision and device as the
 * {@link EncoderPrecision} and {@link EncoderDevice} constants)
 */
public final class EmbedWorker {
    private static final Duration MAX_WAIT = Duration.ofMillis(10);
    /** TorchScript's profiling executor optimises the graph on the second run: time from the third on. */
    static final int WARM_UP_PASSES = 2;

    /** System property: decode JPEGs in draft mode, as the embedder with {@code aidetect.embedder.draft-decode}. */
    static final String DRAFT_DECODE = "aidetect.bench.draft-decode";

    private EmbedWorker() {
    }

    /** The embedder's decoder, in draft mode for the encoder's preprocessing when asked. */
    private static ImageDecoder decoder(ImageEncoder encoder) {
        return new ImageDecoder(DecodeLimits.defaults())
                .draft(Boolean.getBoolean(DRAFT_DECODE) ? encoder.preprocessor().draftSide() : 0);
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int images = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        ThreadBudget threads = new ThreadBudget(Integer.parseInt(args[4]), Integer.parseInt(args[5]));
        EncoderLoader loader = new EncoderLoader(ModelCache.defaults(), EncoderDevice.valueOf(args[7]),
                EncoderPrecision.valueOf(args[6]));
        List<Path> files = Arrays.stream(args, 8, args.length).map(Path::of).toList();
        // The embedder's own defaults in both modes: passive OpenMP threads (sleeping rather than spinning at a barrier)
        // were also the faster setting for the encoder alone here (ceiling 14.3 vs 13.5 img/s), so the ceiling stays
        // the best this machine does.
        TorchThreads.apply(threads.inference(), OptionalInt.of(threads.torchEach()), 1, "passive");
        try (ImageEncoder encoder = loader.load(EncoderManifest.read(Path.of(args[1])))) {
            List<byte[]> jpegs = BenchImages.read(files, images);
            ModeResult result = switch (mode) {
                case "ceiling" -> ceiling(encoder, jpegs, batch, threads.inference());
                case "inprocess" -> inprocess(encoder, jpegs, batch, threads);
                default -> throw new IllegalArgumentException("unknown mode " + mode + ": ceiling or inprocess");
            };
            System.out.println(result.toJson());
        }
    }

    /**
     * Back-to-back passes on ready tensors, on {@code workers} threads of their own (as the embedder's inference
     * threads, not the JVM's main thread), each taking the next batch of images until none are left.
     */
    private static ModeResult ceiling(ImageEncoder encoder, List<byte[]> jpegs, int batch, int workers)
            throws InterruptedException {
        Preprocessor preprocessor = encoder.preprocessor();
        int perImage = preprocessor.floatsPerImage();
        ImageDecoder decoder = decoder(encoder);
        float[] tensors = new float[batch * perImage];
        for (int i = 0; i < batch; i++) {
            preprocessor.preprocess(decode(decoder, jpegs.get(i % jpegs.size())), tensors, i * perImage);
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

    private static ModeResult inprocess(ImageEncoder encoder, List<byte[]> jpegs, int batch, ThreadBudget threads)
            throws Exception {
        ImageDecoder decoder = decoder(encoder);
        ExecutorService decoders = Executors.newFixedThreadPool(threads.total(),
                DecodeThreads.factory("bench-decode-", Integer.getInteger("aidetect.bench.decode-nice", 0)));
        try (MicroBatcher batcher = new MicroBatcher(encoder.preprocessor().floatsPerImage(), batch, MAX_WAIT,
                threads.inference(), encoder::embed, pass -> {
                })) {
            embedAll("warm-up", BenchImages.cycle(jpegs, WARM_UP_PASSES * batch * threads.inference()), encoder,
                    decoder, decoders, batcher, System.nanoTime());
            MachineIdle idle = new MachineIdle();
            long start = System.nanoTime();
            double[] latencies = embedAll("inprocess", jpegs, encoder, decoder, decoders, batcher, start);
            System.err.println("  inprocess: " + idle.report());
            return result("inprocess", latencies);
        } finally {
            decoders.shutdownNow();
        }
    }

    /** Offers every image at once; an image's latency ends when its vector is back. */
    private static double[] embedAll(String label, List<byte[]> jpegs, ImageEncoder encoder, ImageDecoder decoder,
            ExecutorService decoders, MicroBatcher batcher, long start) {
        double[] latencies = new double[jpegs.size()];
        List<CompletableFuture<?>> done = new ArrayList<>();
        for (int i = 0; i < jpegs.size(); i++) {
            int image = i;
            done.add(CompletableFuture.supplyAsync(() -> prepare(jpegs.get(image), encoder, decoder, batcher), decoders)
                    .thenCompose(batcher::offer)
                    .thenRun(() -> latencies[image] = (System.nanoTime() - start) / 1e6));
        }
        for (int i = 0; i < done.size(); i++) {
            done.get(i).join();
            progress(label, i + 1, done.size());
        }
        return latencies;
    }

    private static float[] prepare(byte[] jpeg, ImageEncoder encoder, ImageDecoder decoder, MicroBatcher batcher) {
        BufferedImage image = decode(decoder, jpeg);
        try {
            float[] input = batcher.borrow();
            encoder.preprocessor().preprocess(image, input, 0);
            return input;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an input buffer", e);
        }
    }

    private static BufferedImage decode(ImageDecoder decoder, byte[] jpeg) {
        try {
            return decoder.decode(jpeg).rgb();
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
