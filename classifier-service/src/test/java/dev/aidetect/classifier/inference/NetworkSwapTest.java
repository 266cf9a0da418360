package dev.aidetect.classifier.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

import dev.aidetect.classifier.InMemoryClassifierResource;
import dev.aidetect.classifier.TrainedModels;
import dev.aidetect.classifier.config.ClassifierConfig;
import dev.aidetect.classifier.domain.ModelSlot;
import dev.aidetect.classifier.domain.ReloadResult;
import dev.aidetect.classifier.domain.ServedModel;
import dev.aidetect.heads.ArtifactJson;
import dev.aidetect.heads.attribution.AttributionNetwork;
import dev.aidetect.heads.attribution.DetectionEnsemble;
import dev.aidetect.heads.attribution.DetectionNetwork;
import dev.aidetect.heads.attribution.DetectionThreshold;
import dev.aidetect.heads.attribution.TestViews;
import dev.aidetect.heads.fixtures.SyntheticGenerators;

/**
 * Networks on pixels swap live as heads do: the replacement is loaded and checked before it serves, a bad one leaves
 * the serving network in place, a batch finishes on the network it started with, and a swapped-out network is closed
 * once its last batch ends, never while one uses it.
 *
 * <p>
 * The registries here are built by hand; the test is a {@code @QuarkusTest} (sharing the other tests' application)
 * only so that DJL runs in the class loader that already loaded libtorch: a plain test after a Quarkus test in the
 * same JVM cannot load the native library again.
 */
@QuarkusTest
@WithTestResource(InMemoryClassifierResource.class)
class NetworkSwapTest {
    private static final ModelSlot GAN = ModelSlot.GAN_ATTRIBUTION;
    private static final BufferedImage IMAGE = SyntheticGenerators.images(1, 96, 5).get(SyntheticGenerators.SMOOTH)
            .getFirst();

    @TempDir
    Path dir;
    private Path v1;
    private Path v2;
    private Path served;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void networks() throws IOException {
        v1 = TrainedModels.ganNetworkDir();
        v2 = TrainedModels.retrainedGanNetworkDir();
        // The configured location is a link, re-pointed to swap: how a directory is replaced atomically.
        served = Files.createSymbolicLink(dir.resolve("attribution-gan"), v1);
    }

    @Test
    void swapsACheckedNetworkAndClosesTheOldOneWhenTheLastBatchUsingItEnds() throws Exception {
        // given: the gan network serving, and a batch deciding with it
        ModelRegistry models = registry(Map.of("aidetect.classifier.attribution.gan", served.toString()));
        assertThat(models.load(GAN)).isTrue();
        AttributionNetwork old = network(models);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<List<String>> batch = CompletableFuture.supplyAsync(() -> models.batch(() -> {
            List<String> versions = new ArrayList<>();
            versions.add(models.attributionNetwork("gan").attribute(IMAGE).decision());
            holding.countDown();
            await(finish);
            // after the swap, the batch still decides with the network it started on
            AttributionNetwork same = models.attributionNetwork("gan");
            versions.add(same.version());
            same.attribute(IMAGE);
            return versions;
        }));
        assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();

        // when: a retrained network is swapped in
        ReloadResult result = new ModelReloader(models, meters).reload(GAN, Optional.of(v2));

        // then: it serves, the old one stays open for the batch, and is closed once the batch ends
        AttributionNetwork retrained = network(models);
        assertThat(result.outcome()).as(result.message()).isEqualTo(ReloadResult.Outcome.SWAPPED);
        assertThat(result.serving().version()).isEqualTo(retrained.version()).isNotEqualTo(old.version());
        assertThat(result.message()).contains(old.version()).contains(retrained.version());
        assertThat(old.isClosed()).as("held by a batch").isFalse();
        finish.countDown();
        assertThat(batch.get(30, TimeUnit.SECONDS).get(1)).isEqualTo(old.version());
        assertThat(old.isClosed()).as("its last batch ended").isTrue();
        assertThat(retrained.isClosed()).isFalse();
        assertThat(models.holders(GAN)).as("only the registry holds the serving network").isEqualTo(1);
        assertThat(models.batch(() -> models.attributionNetwork("gan").version())).isEqualTo(retrained.version());
        assertThat(reloads("swapped")).isEqualTo(1);
    }

    @Test
    void refusesANetworkOfAnotherKindOrFamilyAndAnUnreadableDirectoryAndKeepsServingTheOldOne() throws Exception {
        ModelRegistry models = registry(Map.of("aidetect.classifier.attribution.gan", served.toString()));
        assertThat(models.load(GAN)).isTrue();
        AttributionNetwork serving = network(models);
        ModelReloader reloader = new ModelReloader(models, meters);
        Path broken = Files.createDirectories(dir.resolve("broken"));
        Files.copy(v2.resolve("attribution.json"), broken.resolve("attribution.json"));
        Files.writeString(broken.resolve("attribution-0000.params"), "not parameters");

        ReloadResult diffusion = reloader.reload(GAN, Optional.of(TrainedModels.ganNetworkDir()
                .resolveSibling("attribution-diffusion")));
        ReloadResult detector = reloader.reload(GAN, Optional.of(TrainedModels.detectionNetworkDir()));
        ReloadResult empty = reloader.reload(GAN, Optional.of(Files.createDirectories(dir.resolve("empty"))));
        ReloadResult unreadable = reloader.reload(GAN, Optional.of(broken));

        assertThat(diffusion.outcome()).isEqualTo(ReloadResult.Outcome.REFUSED);
        assertThat(diffusion.message()).contains("family 'diffusion'").contains("keeps serving");
        assertThat(detector.outcome()).isEqualTo(ReloadResult.Outcome.REFUSED);
        assertThat(detector.message()).contains("family 'detection'");
        assertThat(empty.outcome()).isEqualTo(ReloadResult.Outcome.FAILED);
        assertThat(empty.message()).contains("no attribution network there");
        assertThat(unreadable.outcome()).as(unreadable.message()).isEqualTo(ReloadResult.Outcome.FAILED);
        assertThat(unreadable.message()).contains("cannot load").contains(broken.toString());
        assertThat(List.of(diffusion, detector, empty, unreadable))
                .allSatisfy(r -> assertThat(r.serving().version()).isEqualTo(serving.version()));
        assertThat(network(models)).isSameAs(serving);
        assertThat(serving.isClosed()).isFalse();
        assertThat(models.batch(() -> models.attributionNetwork("gan").attribute(IMAGE).decision()))
                .isEqualTo(SyntheticGenerators.SMOOTH);
        assertThat(reloads("refused")).isEqualTo(2);
        assertThat(reloads("failed")).isEqualTo(2);
    }

    @Test
    void batchesDecidingDuringRepeatedSwapsNeverMeetAClosedNetworkNorMixTwoVersions() throws Exception {
        // given: three threads deciding batches of four images each, as fast as they can
        ModelRegistry models = registry(Map.of("aidetect.classifier.attribution.gan", served.toString()));
        assertThat(models.load(GAN)).isTrue();
        ModelReloader reloader = new ModelReloader(models, meters);
        AtomicBoolean running = new AtomicBoolean(true);
        Set<AttributionNetwork> used = Collections.newSetFromMap(Collections.synchronizedMap(new IdentityHashMap<>()));
        Map<String, Integer> batchesByVersion = new ConcurrentHashMap<>();
        List<CompletableFuture<Integer>> deciders = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(3)) {
            for (int t = 0; t < 3; t++) {
                deciders.add(CompletableFuture.supplyAsync(() -> {
                    int batches = 0;
                    while (running.get()) {
                        String version = models.batch(() -> {
                            AttributionNetwork first = models.attributionNetwork("gan");
                            for (int i = 0; i < 4; i++) {
                                AttributionNetwork network = models.attributionNetwork("gan");
                                assertThat(network).as("one network for the whole batch").isSameAs(first);
                                network.attribute(IMAGE);
                            }
                            used.add(first);
                            return first.version();
                        });
                        batchesByVersion.merge(version, 1, Integer::sum);
                        batches++;
                    }
                    return batches;
                }, threads));
            }

            // when: the network is swapped back and forth six times
            try {
                for (int swap = 0; swap < 6; swap++) {
                    ReloadResult result = reloader.reload(GAN, Optional.of(swap % 2 == 0 ? v2 : v1));
                    assertThat(result.outcome()).as(result.message()).isEqualTo(ReloadResult.Outcome.SWAPPED);
                    Thread.sleep(200);
                }
            } finally {
                running.set(false);
            }

            // then: no batch failed (a closed network throws), both versions decided, and every network but the
            // serving one is closed now that no batch runs
            for (CompletableFuture<Integer> decider : deciders) {
                assertThat(decider.get(60, TimeUnit.SECONDS)).isPositive();
            }
        }
        AttributionNetwork serving = network(models);
        assertThat(batchesByVersion).hasSize(2);
        assertThat(used).filteredOn(network -> network != serving).allSatisfy(network -> assertThat(
                network.isClosed()).isTrue());
        assertThat(serving.isClosed()).isFalse();
        assertThat(models.holders(GAN)).isEqualTo(1);
        System.out.printf("network swaps under load: 6 swaps, batches by version %s, networks used %d, closed %d%n",
                batchesByVersion, used.size(), used.stream().filter(AttributionNetwork::isClosed).count());
    }

    @Test
    void theWatcherSwapsANetworkWhoseDirectoryLinkIsRepointed() throws Exception {
        ModelRegistry models = registry(Map.of("aidetect.classifier.attribution.gan", served.toString()));
        assertThat(models.load(GAN)).isTrue();
        AttributionNetwork old = network(models);
        ArtifactWatcher watcher = new ArtifactWatcher(models, new ModelReloader(models, meters), config(Map.of()));
        watcher.poll();
        assertThat(network(models)).as("nothing changed").isSameAs(old);

        // when: the link is re-pointed at the retrained network in one rename
        Path next = Files.createSymbolicLink(dir.resolve("attribution-gan.next"), v2);
        Files.move(next, served, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        watcher.poll();

        // then
        assertThat(network(models).version()).isNotEqualTo(old.version());
        assertThat(models.loaded(GAN).orElseThrow().path()).isEqualTo(served);
        assertThat(old.isClosed()).isTrue();
        watcher.poll();
        assertThat(reloads("swapped")).as("the new directory is not reloaded again").isEqualTo(1);
    }

    @Test
    void swapsTheDetectionNetworkAndRefusesAnAttributionNetworkInItsPlace() throws Exception {
        Path copy = Files.createDirectories(dir.resolve("detection-copy"));
        try (var files = Files.list(TrainedModels.detectionNetworkDir())) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        ModelRegistry models = registry(Map.of("aidetect.classifier.detection-input", "pixels",
                "aidetect.classifier.detection-network", TrainedModels.detectionNetworkDir().toString()));
        assertThat(models.load(ModelSlot.DETECTION_NETWORK)).isTrue();
        DetectionNetwork old = models.batch(models::detectionNetwork);
        ModelReloader reloader = new ModelReloader(models, meters);

        ReloadResult wrongKind = reloader.reload(ModelSlot.DETECTION_NETWORK, Optional.of(v2));
        assertThat(wrongKind.outcome()).isEqualTo(ReloadResult.Outcome.FAILED);
        assertThat(wrongKind.message()).contains("not a real/fake network").contains("keeps serving");
        assertThat(old.isClosed()).isFalse();

        ReloadResult moved = reloader.reload(ModelSlot.DETECTION_NETWORK, Optional.of(copy));
        assertThat(moved.outcome()).as(moved.message()).isEqualTo(ReloadResult.Outcome.SWAPPED);
        assertThat(moved.serving().path()).isEqualTo(copy.toString());
        assertThat(old.isClosed()).isTrue();
        assertThat(models.batch(() -> models.detectionNetwork().detect(IMAGE).decision())).isIn("REAL", "FAKE");
    }

    @Test
    void servesADetectionEnsembleAsOneModelNamedByItsIdAndVersion() throws Exception {
        Path ensemble = Files.createDirectories(dir.resolve("detection-ensemble"));
        List<String> members = List.of("members/1-a", "members/2-b");
        for (String member : members) {
            Path copy = Files.createDirectories(ensemble.resolve(member));
            try (var files = Files.list(TrainedModels.detectionNetworkDir())) {
                for (Path file : files.toList()) {
                    Files.copy(file, copy.resolve(file.getFileName()));
                }
            }
        }
        Files.write(ensemble.resolve(DetectionEnsemble.FILE), ArtifactJson.write(new DetectionEnsemble.Metadata(
                DetectionEnsemble.FORMAT_VERSION, "detection-ensemble-2-mirror", "0123456789ab", members,
                new TestViews(0, true),
                new DetectionThreshold(DetectionNetwork.FAKE, 0.5, "fixed-0.5", 1, 1, 1), null)));
        ModelRegistry models = registry(Map.of("aidetect.classifier.detection-input", "pixels",
                "aidetect.classifier.detection-network", ensemble.toString()));

        assertThat(models.load(ModelSlot.DETECTION_NETWORK)).isTrue();

        DetectionNetwork served = models.batch(models::detectionNetwork);
        assertThat(served.id()).isEqualTo("detection-ensemble-2-mirror");
        assertThat(served.version()).isEqualTo("0123456789ab");
        assertThat(served.members()).hasSize(2);
        assertThat(models.loaded(ModelSlot.DETECTION_NETWORK).orElseThrow().version()).isEqualTo("0123456789ab");
        try (DetectionNetwork single = DetectionNetwork.load(TrainedModels.detectionNetworkDir())) {
            // two copies of one network, over each crop and its mirror: the mean of that network's two views (the
            // image's sides exceed the crop by an even number of pixels, so its mirror's centre crop is the mirrored
            // crop)
            double expected = (single.fakeProbability(IMAGE)
                    + single.fakeProbability(SyntheticGenerators.mirrored(IMAGE))) / 2;
            assertThat(models.batch(() -> served.fakeProbability(IMAGE))).isCloseTo(expected, within(1e-6));
        }
    }

    private static AttributionNetwork network(ModelRegistry models) {
        return ((ServedModel.Network) models.loaded(GAN).orElseThrow().model()).network();
    }

    private double reloads(String outcome) {
        return meters.counter("aidetect.classifier.reloads", "slot", GAN.apiName(), "outcome", outcome).count();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static ModelRegistry registry(Map<String, String> settings) {
        return new ModelRegistry(config(settings));
    }

    static ClassifierConfig config(Map<String, String> settings) {
        return new SmallRyeConfigBuilder().withMapping(ClassifierConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(settings, "test", 100)).build()
                .getConfigMapping(ClassifierConfig.class);
    }
}
