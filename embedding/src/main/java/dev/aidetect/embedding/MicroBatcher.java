package dev.aidetect.embedding;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Dynamic micro-batching in front of an encoder: takes preprocessed images one at a time, from any thread, and runs a
 * forward pass as soon as {@code maxBatch} images wait or {@code maxWait} has passed since the first of them began
 * waiting, so images of small polls share a pass and a lone image waits at most {@code maxWait} for company. Plain
 * Java (no framework), so the benchmark runs the same code outside the service.
 *
 * <p>
 * Input arrays come from {@link #borrow()} (a bounded pool, reused) and go back to it once copied into a batch
 * buffer, or through {@link #release} when the image failed before it was offered. Each of {@code workers} batching
 * threads copies a pass's images into its own reused batch buffer and calls the {@link Forward} function itself (no
 * hand-off to another thread), so the encoder sees one caller thread, and one predictor, per worker. One worker at a
 * time collects a pass, so several workers do not split the waiting images into small passes: while one runs its
 * forward pass, the next collects.
 */
public final class MicroBatcher implements AutoCloseable {

    /** One forward pass: {@code count} images of {@code batch}, one vector each. */
    @FunctionalInterface
    public interface Forward {
        float[][] embed(float[] batch, int count);
    }

    /** What a forward pass was: images in it, when it started ({@link System#nanoTime()}) and how long it took. */
    public record Pass(int size, long startNanos, long micros) {
    }

    /** One image's vector, the pass that made it and how long the image waited for that pass. */
    public record Embedded(float[] vector, Pass pass, long queueMicros) {
    }

    private record Waiting(float[] input, long since, CompletableFuture<Embedded> result) {
    }

    private static final System.Logger LOG = System.getLogger(MicroBatcher.class.getName());
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** Queued by {@link #close()}: a batching thread that takes it puts it back and stops. */
    private static final Waiting STOP = new Waiting(new float[0], 0, new CompletableFuture<>());

    private final int floatsPerImage;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final Forward forward;
    private final Consumer<Pass> onPass;
    private final BlockingQueue<Waiting> waiting = new LinkedBlockingQueue<>();
    /** Held by the worker collecting a pass. */
    private final ReentrantLock collecting = new ReentrantLock();
    private final int poolSize;
    private final BlockingQueue<float[]> free;
    private final List<Thread> threads;
    private int allocated;
    private volatile boolean closed;

    /** One batching thread. */
    public MicroBatcher(int floatsPerImage, int maxBatch, Duration maxWait, Forward forward, Consumer<Pass> onPass) {
        this(floatsPerImage, maxBatch, maxWait, 1, forward, onPass);
    }

    /**
     * @param workers batching threads, each running its own forward passes
     * @param onPass told of every pass (for metrics), on the batching thread that ran it
     */
    public MicroBatcher(int floatsPerImage, int maxBatch, Duration maxWait, int workers, Forward forward,
            Consumer<Pass> onPass) {
        if (maxBatch < 1 || maxWait.isNegative() || workers < 1) {
            throw new IllegalArgumentException("max-batch and inference-threads must be at least 1 and max-wait not"
                    + " negative, got " + maxBatch + ", " + workers + " and " + maxWait);
        }
        this.floatsPerImage = floatsPerImage;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.forward = forward;
        this.onPass = onPass;
        // A batch's worth of inputs per worker and one more: while the workers' passes run (their inputs already
        // copied out), the next pass waits and decodes.
        this.poolSize = (workers + 1) * maxBatch;
        this.free = new ArrayBlockingQueue<>(poolSize);
        this.threads = IntStream.range(0, workers)
                .mapToObj(i -> Thread.ofPlatform().name("embedder-batcher-" + i).daemon().start(this::run))
                .toList();
    }

    /** An input array of one image; blocks while every pooled array holds a waiting image. */
    public float[] borrow() throws InterruptedException {
        float[] input = free.poll();
        if (input != null) {
            return input;
        }
        synchronized (this) {
            if (allocated < poolSize) {
                allocated++;
                return new float[floatsPerImage];
            }
        }
        return free.take();
    }

    /** Gives back an input array whose image was not offered (it failed to decode). */
    public void release(float[] input) {
        free.offer(input);
    }

    /** Queues a borrowed array holding one preprocessed image; the future completes after its pass. */
    public CompletableFuture<Embedded> offer(float[] input) {
        if (closed) {
            throw new IllegalStateException("the micro-batcher is closed");
        }
        CompletableFuture<Embedded> result = new CompletableFuture<>();
        Waiting image = new Waiting(input, System.nanoTime(), result);
        waiting.add(image);
        if (closed && waiting.remove(image)) {
            // Closed while queueing: the batching thread may be gone already, so nobody else would complete it.
            result.completeExceptionally(new IllegalStateException("the embedder stopped"));
        }
        return result;
    }

    private void run() {
        List<Waiting> pass = new ArrayList<>(maxBatch);
        float[] batch = new float[maxBatch * floatsPerImage];
        try {
            while (collectAlone(pass)) {
                embed(pass, batch);
                pass.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        IllegalStateException stopped = new IllegalStateException("the embedder stopped");
        pass.forEach(image -> image.result().completeExceptionally(stopped));
        waiting.stream().filter(image -> image != STOP)
                .forEach(image -> image.result().completeExceptionally(stopped));
    }

    private boolean collectAlone(List<Waiting> pass) throws InterruptedException {
        collecting.lockInterruptibly();
        try {
            return collect(pass);
        } finally {
            collecting.unlock();
        }
    }

    /**
     * Waits for a first image, then for more until the batch is full or the first one has waited max-wait; false once
     * {@link #close()} has asked the thread to stop.
     */
    private boolean collect(List<Waiting> pass) throws InterruptedException {
        Waiting first = waiting.take();
        if (first == STOP) {
            waiting.add(STOP); // for the next worker
            return false;
        }
        pass.add(first);
        long deadline = first.since() + maxWaitNanos;
        while (pass.size() < maxBatch) {
            Waiting next = waiting.poll();
            if (next == null) {
                long left = deadline - System.nanoTime();
                next = left > 0 ? waiting.poll(left, TimeUnit.NANOSECONDS) : null;
                if (next == null) {
                    return true;
                }
            }
            if (next == STOP) {
                waiting.add(STOP);
                return false;
            }
            pass.add(next);
        }
        return true;
    }

    private void embed(List<Waiting> pass, float[] batch) {
        for (int i = 0; i < pass.size(); i++) {
            System.arraycopy(pass.get(i).input(), 0, batch, i * floatsPerImage, floatsPerImage);
            free.offer(pass.get(i).input());
        }
        long start = System.nanoTime();
        try {
            float[][] vectors = forward.embed(batch, pass.size());
            Pass done = new Pass(pass.size(), start, (System.nanoTime() - start) / 1000);
            onPass.accept(done);
            for (int i = 0; i < pass.size(); i++) {
                Waiting image = pass.get(i);
                image.result().complete(new Embedded(vectors[i], done, (start - image.since()) / 1000));
            }
        } catch (RuntimeException | Error e) {
            // Fail this pass's images, and keep batching: a dead batching thread would leave every later image waiting.
            pass.forEach(image -> image.result().completeExceptionally(e));
        }
    }

    /**
     * Stops the batching threads after the passes they are running, if any (waiting up to 30 s for them, so the caller
     * may then close the encoder); images still waiting fail. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        // A marker rather than an interrupt: forward passes run on these threads and must not see one. Each worker
        // that takes it puts it back for the next.
        waiting.add(STOP);
        long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        try {
            for (Thread thread : threads) {
                if (thread == Thread.currentThread()) {
                    continue;
                }
                long left = Math.max(1, deadline - System.nanoTime());
                if (!thread.join(Duration.ofNanos(left))) {
                    LOG.log(Level.WARNING, "A forward pass was still running after {0}; stopping without it",
                            CLOSE_TIMEOUT);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
