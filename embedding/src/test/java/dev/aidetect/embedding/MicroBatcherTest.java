package dev.aidetect.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Batching decided by what the encoder saw (pass sizes), not by wall-clock timing. */
class MicroBatcherTest {
    private static final int FLOATS = 3;

    private final List<Integer> passSizes = new CopyOnWriteArrayList<>();
    private MicroBatcher batcher;

    @AfterEach
    void close() {
        batcher.close();
    }

    /** An "encoder" whose vector for an image is its first input value, so results can be matched to inputs. */
    private MicroBatcher batcher(int maxBatch, Duration maxWait) {
        batcher = new MicroBatcher(FLOATS, maxBatch, maxWait, (batch, count) -> {
            float[][] vectors = new float[count][];
            for (int i = 0; i < count; i++) {
                vectors[i] = new float[]{batch[i * FLOATS]};
            }
            return vectors;
        }, pass -> passSizes.add(pass.size()));
        return batcher;
    }

    private CompletableFuture<MicroBatcher.Embedded> offer(float value) throws InterruptedException {
        float[] input = batcher.borrow();
        input[0] = value;
        return batcher.offer(input);
    }

    @Test
    void coalescesImagesOfSeparateCallersIntoOneFullPass() throws Exception {
        // given a long max-wait, so only a full batch can start a pass
        batcher(4, Duration.ofMinutes(5));

        // when four images arrive one at a time
        List<CompletableFuture<MicroBatcher.Embedded>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            results.add(offer(i));
        }

        // then one pass of four embeds all of them, each getting its own vector
        for (int i = 0; i < 4; i++) {
            MicroBatcher.Embedded embedded = results.get(i).get(30, TimeUnit.SECONDS);
            assertThat(embedded.vector()).containsExactly((float) i);
            assertThat(embedded.pass().size()).isEqualTo(4);
        }
        assertThat(passSizes).containsExactly(4);
    }

    @Test
    void runsPartialPassOnceTheFirstImageHasWaitedMaxWait() throws Exception {
        // given room for 16 images and a max-wait of 200 ms
        batcher(16, Duration.ofMillis(200));

        // when a single image arrives and no other follows
        MicroBatcher.Embedded embedded = offer(7).get(30, TimeUnit.SECONDS);

        // then it is embedded alone, after waiting at least max-wait for company (not for a full batch)
        assertThat(embedded.vector()).containsExactly(7f);
        assertThat(embedded.pass().size()).isEqualTo(1);
        assertThat(embedded.queueMicros()).isGreaterThanOrEqualTo(200_000);
        assertThat(passSizes).containsExactly(1);
    }

    @Test
    void splitsABurstIntoPassesOfAtMostMaxBatch() throws Exception {
        // given max-batch 4 and a long max-wait
        batcher(4, Duration.ofMinutes(5));

        // when eight images arrive at once (the pool lends 2 x max-batch arrays)
        List<CompletableFuture<MicroBatcher.Embedded>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            results.add(offer(i));
        }
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        // then two full passes ran, and arrays are reused: more images than the pool holds still get through
        assertThat(passSizes).containsExactly(4, 4);
        for (int i = 8; i < 12; i++) {
            results.add(offer(i));
        }
        assertThat(results.get(11).get(30, TimeUnit.SECONDS).vector()).containsExactly(11f);
        assertThat(passSizes).containsExactly(4, 4, 4);
    }

    @Test
    void failsEveryImageOfAPassWhoseEncoderThrows() throws Exception {
        // given an encoder that fails
        batcher = new MicroBatcher(FLOATS, 2, Duration.ofMinutes(5), (batch, count) -> {
            throw new IllegalStateException("encoder broke");
        }, pass -> passSizes.add(pass.size()));

        // when a full pass is offered
        CompletableFuture<MicroBatcher.Embedded> first = offer(1);
        CompletableFuture<MicroBatcher.Embedded> second = offer(2);

        // then both images fail with the encoder's error, and nothing counts as a pass
        for (CompletableFuture<MicroBatcher.Embedded> result : List.of(first, second)) {
            assertThatThrownBy(result::join).isInstanceOf(CompletionException.class)
                    .hasMessageContaining("encoder broke");
        }
        assertThat(passSizes).isEmpty();
    }

    @Test
    void runsPassesOnItsOwnThreadAndCloseWaitsForTheRunningPass() throws Exception {
        // given an encoder that blocks inside a pass until released
        CountDownLatch inPass = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        batcher = new MicroBatcher(FLOATS, 1, Duration.ZERO, (batch, count) -> {
            inPass.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                seen.add("interrupted");
            }
            seen.add(Thread.currentThread().getName());
            return new float[][]{{batch[0]}};
        }, pass -> passSizes.add(pass.size()));
        CompletableFuture<MicroBatcher.Embedded> result = offer(5);
        assertThat(inPass.await(30, TimeUnit.SECONDS)).isTrue();

        // when the batcher is closed during the pass
        CompletableFuture<Void> closing = CompletableFuture.runAsync(batcher::close);

        // then close returns only once the pass has finished, uninterrupted, on the batching thread
        assertThatThrownBy(() -> closing.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        release.countDown();
        closing.get(30, TimeUnit.SECONDS);
        assertThat(seen).containsExactly("embedder-batcher-0");
        assertThat(result.get(30, TimeUnit.SECONDS).vector()).containsExactly(5f);
    }

    @Test
    void runsFullPassesOfSeveralWorkersSideBySideEachOnItsOwnThread() throws Exception {
        // given two workers, max-batch 2, a long max-wait, and an encoder that holds each pass until both are inside
        CountDownLatch bothInside = new CountDownLatch(2);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        batcher = new MicroBatcher(FLOATS, 2, Duration.ofMinutes(5), 2, (batch, count) -> {
            threads.add(Thread.currentThread().getName());
            bothInside.countDown();
            try {
                assertThat(bothInside.await(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            float[][] vectors = new float[count][];
            for (int i = 0; i < count; i++) {
                vectors[i] = new float[]{batch[i * FLOATS]};
            }
            return vectors;
        }, pass -> passSizes.add(pass.size()));

        // when four images arrive
        List<CompletableFuture<MicroBatcher.Embedded>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            results.add(offer(i));
        }

        // then two full passes ran at the same time on the two workers (one collecting while the other ran), and every
        // image got its own vector back from its own worker's buffer
        for (int i = 0; i < 4; i++) {
            assertThat(results.get(i).get(30, TimeUnit.SECONDS).vector()).containsExactly((float) i);
        }
        assertThat(passSizes).containsExactly(2, 2);
        assertThat(threads).containsExactlyInAnyOrder("embedder-batcher-0", "embedder-batcher-1");

        // and closing stops both workers
        batcher.close();
        assertThatThrownBy(() -> batcher.offer(new float[FLOATS])).hasMessageContaining("closed");
    }

    @Test
    void closeStopsEveryWorkerAndFailsImagesStillWaiting() throws Exception {
        // given three workers and an image waiting for company
        Set<Thread> before = batcherThreads();
        batcher = new MicroBatcher(FLOATS, 4, Duration.ofMinutes(5), 3, (batch, count) -> new float[count][1],
                pass -> passSizes.add(pass.size()));
        Set<Thread> workers = batcherThreads();
        workers.removeAll(before);
        CompletableFuture<MicroBatcher.Embedded> waiting = offer(1);

        // when
        CompletableFuture.runAsync(batcher::close).get(30, TimeUnit.SECONDS);

        // then close returned once every worker had taken the stop marker and ended, and the waiting image failed
        assertThat(workers).hasSize(3).noneMatch(Thread::isAlive);
        assertThatThrownBy(() -> waiting.get(30, TimeUnit.SECONDS)).hasMessageContaining("the embedder stopped");
        assertThat(passSizes).isEmpty();
    }

    private static Set<Thread> batcherThreads() {
        Set<Thread> threads = new HashSet<>(Thread.getAllStackTraces().keySet());
        threads.removeIf(thread -> !thread.getName().startsWith("embedder-batcher-"));
        return threads;
    }

    @Test
    void failsImagesStillWaitingWhenClosed() throws Exception {
        // given an image waiting for company that will not come before close
        batcher(4, Duration.ofMinutes(5));
        CompletableFuture<MicroBatcher.Embedded> waiting = offer(1);

        // when
        batcher.close();

        // then
        assertThatThrownBy(() -> waiting.get(30, TimeUnit.SECONDS)).hasMessageContaining("the embedder stopped");
        assertThat(passSizes).isEmpty();
        assertThatThrownBy(() -> batcher.offer(new float[FLOATS])).hasMessageContaining("closed");
    }
}
