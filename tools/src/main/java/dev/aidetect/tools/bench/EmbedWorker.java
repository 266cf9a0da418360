package dev.aidetect.tools.bench;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.aidetect.embedder.inference.DecodeThreads;
import dev.aidetect.embedder.inference.MicroBatcher;
import dev.aidetect.embedder.inference.TorchThreads;
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
 * {@code ceiling}: the encoder alone on ready tensors, back-to-back passes of the batch size. {@code inprocess}: the
 * embedder's own path without Kafka: the JPEG bytes decoded and preprocessed in parallel on {@code threads} threads
 * into pooled buffers, batched by the embedder's {@link MicroBatcher} (max-wait 10 ms), one inference thread. Prints
 * one JSON line ({@link ModeResult}) on stdout.
 *
 * <p>
 * Decode threads run at the embedder's default priority; {@code -Daidetect.bench.decode-nice=N} (for instance through
 * {@code JDK_JAVA_OPTIONS}) runs them at nice N, as {@code aidetect.embedder.decode-nice} does in the service.
 *
 * <p>
 * Arguments: {@code MODE MANIFEST IMAGES BATCH THREADS PRECISION DEVICE FILE...} (precision and device as the
 * {@link EncoderPrecision} and {@link EncoderDevice} constants)
 */
public final class EmbedWorker {
    private static final Duration MAX_WAIT = Duration.ofMillis(10);
    /** TorchScript's profiling executor optimises the graph on the second run: time from the third on. */
    static final int WARM_UP_PASSES = 2;

    private EmbedWorker() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int images = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        int threads = Integer.parseInt(args[4]);
        EncoderLoader loader = new EncoderLoader(ModelCache.defaults(), EncoderDevice.valueOf(args[6]),
                EncoderPrecision.valueOf(args[5]));
        List<Path> files = Arrays.stream(args, 7, args.length).map(Path::of).toList();
        // The embedder's own defaults in both modes: passive OpenMP threads (sleeping rather than spinning at a barrier)
        // were also the faster setting for the encoder alone here (ceiling 14.3 vs 13.5 img/s), so the ceiling stays
        // the best this machine does.
        TorchThreads.apply(OptionalInt.of(threads), 1, "passive");
        try (ImageEncoder encoder = loader.load(EncoderManifest.read(Path.of(args[1])))) {
            List<byte[]> jpegs = BenchImages.read(files, images);
            ModeResult result = switch (mode) {
                // On a thread of its own, as the embedder's inference thread (not the JVM's main thread).
                case "ceiling" -> CompletableFuture.supplyAsync(() -> ceiling(encoder, jpegs, batch),
                        runnable -> Thread.ofPlatform().name("ceiling-inference").start(runnable)).join();
                case "inprocess" -> inprocess(encoder, jpegs, batch, threads);
                default -> throw new IllegalArgumentException("unknown mode " + mode + ": ceiling or inprocess");
            };
            System.out.println(result.toJson());
        }
    }

    private static ModeResult ceiling(ImageEncoder encoder, List<byte[]> jpegs, int batch) {
        Preprocessor preprocessor = encoder.preprocessor();
        int perImage = preprocessor.floatsPerImage();
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.defaults());
        float[] tensors = new float[batch * perImage];
        for (int i = 0; i < batch; i++) {
            preprocessor.preprocess(decode(decoder, jpegs.get(i % jpegs.size())), tensors, i * perImage);
        }
        for (int pass = 0; pass < WARM_UP_PASSES; pass++) {
            encoder.embed(tensors, batch);
        }
        double[] latencies = new double[jpegs.size()];
        MachineIdle idle = new MachineIdle();
        long start = System.nanoTime();
        for (int first = 0; first < jpegs.size(); first += batch) {
            int count = Math.min(batch, jpegs.size() - first);
            encoder.embed(tensors, count);
            Arrays.fill(latencies, first, first + count, (System.nanoTime() - start) / 1e6);
            progress("ceiling", first + count, jpegs.size());
        }
        System.err.println("  ceiling: " + idle.report());
        return result("ceiling", latencies);
    }

    private static ModeResult inprocess(ImageEncoder encoder, List<byte[]> jpegs, int batch, int threads)
            throws Exception {
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.defaults());
        ExecutorService decoders = Executors.newFixedThreadPool(threads,
                DecodeThreads.factory("bench-decode-", Integer.getInteger("aidetect.bench.decode-nice", 0)));
        try (MicroBatcher batcher = new MicroBatcher(encoder.preprocessor().floatsPerImage(), batch, MAX_WAIT,
                encoder::embed, pass -> {
                })) {
            embedAll("warm-up", BenchImages.cycle(jpegs, WARM_UP_PASSES * batch), encoder, decoder, decoders, batcher,
                    System.nanoTime());
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

    private static void progress(String mode, int done, int total) {
        System.err.printf("\r  %s: %d/%d images", mode, done, total);
        if (done == total) {
            System.err.println();
        }
    }
}
