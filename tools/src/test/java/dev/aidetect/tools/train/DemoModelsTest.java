package dev.aidetect.tools.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.tools.ServiceConfigNames;
import dev.aidetect.tools.dataset.LabelledImage;
import dev.aidetect.tools.samples.BrokenSample;
import dev.aidetect.tools.samples.SampleSetWriter;
import dev.aidetect.tools.samples.SyntheticGenerator;
import dev.aidetect.tools.stack.StackService;

/**
 * The demo's models and samples. The environment the demo gives each service must name properties that service
 * reads (an unknown variable is silently ignored, and the service would start without its model) and point where
 * training writes.
 */
class DemoModelsTest {
    private static final Path ROOT = Path.of(System.getProperty("aidetect.project.root", "..")).toAbsolutePath()
            .normalize();

    @TempDir
    Path dir;

    @Test
    void everyVariableTheDemoSetsIsAPropertyOfTheServiceItIsGivenTo() throws Exception {
        Map<StackService, Map<String, String>> env = models(dir.resolve("models")).serviceEnv(Duration.ofSeconds(30));

        assertThat(env).containsOnlyKeys(StackService.values());
        for (var service : env.entrySet()) {
            Set<String> read = environmentNamesOf(ROOT.resolve(service.getKey().module()));
            assertThat(read).as("config of %s", service.getKey().module()).isNotEmpty();
            assertThat(read).as("properties %s reads", service.getKey().module())
                    .containsAll(service.getValue().keySet());
        }
    }

    @Test
    void theClassifierIsPointedAtTheModelsTrainingWritesForEveryFamilyOfTheTrainingSet() throws Exception {
        Path models = dir.resolve("models");

        Map<String, String> classifier = models(models).serviceEnv(Duration.ofSeconds(30)).get(StackService.CLASSIFIER);

        assertThat(classifier).containsEntry("AIDETECT_CLASSIFIER_DETECTION_HEAD",
                models.resolve(ModelTraining.DETECTION_HEAD).toString());
        assertThat(classifier).containsEntry("AIDETECT_CLASSIFIER_FAMILY_HEAD",
                models.resolve(ModelTraining.FAMILY_HEAD).toString());
        for (SyntheticGenerator generator : SyntheticGenerator.values()) {
            if (generator.family() != null) {
                // ModelTraining.trainAttribution writes attribution-<family>.
                assertThat(classifier).containsEntry(
                        "AIDETECT_CLASSIFIER_ATTRIBUTION_" + generator.family().toUpperCase(Locale.ROOT),
                        models.resolve("attribution-" + generator.family()).toString());
            }
        }
    }

    @Test
    void theRouterGetsTheStageTimeoutAsAnIsoDuration() throws Exception {
        Map<String, String> router = models(dir).serviceEnv(Duration.ofSeconds(45)).get(StackService.ROUTER);

        assertThat(router).containsExactly(Map.entry("AIDETECT_ROUTER_STAGE_TIMEOUT", "PT45S"));
    }

    @Test
    void preparingOutsideTheProjectRootSaysWhatIsMissingAndWritesNothing() {
        Path work = dir.resolve("work");

        assertThatThrownBy(() -> DemoModels.prepare(dir, work, new PrintWriter(new StringWriter())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("encoder manifest " + dir.resolve(DemoModels.ENCODER_MANIFEST)
                        + " is missing; run from the project root");
        assertThat(work).doesNotExist();
    }

    @Test
    void samplesAreAFreshSetOfEverySourceAndTheBrokenFiles() throws IOException {
        Path samples = Files.createDirectories(dir.resolve("samples/real"));
        Files.writeString(samples.resolve("left-over-from-last-run.jpg"), "old");
        StringWriter log = new StringWriter();

        DemoModels.writeSamples(dir.resolve("samples"), 1, new PrintWriter(log, true));

        List<LabelledImage> images = LabelledImage.collect(List.of(dir.resolve("samples")));
        assertThat(images).extracting(i -> i.file().getFileName().toString())
                .doesNotContain("left-over-from-last-run.jpg")
                .hasSize(SyntheticGenerator.values().length + BrokenSample.values().length);
        assertThat(dir.resolve("samples").resolve(SampleSetWriter.BROKEN_FOLDER)).isDirectory();
        assertThat(log.toString()).contains("samples: " + SyntheticGenerator.values().length + " images and "
                + BrokenSample.values().length + " broken files in " + dir.resolve("samples"));
    }

    /** Demo models as {@code prepare} returns them once trained, without training them. */
    private static DemoModels models(Path models) throws Exception {
        Constructor<DemoModels> constructor = DemoModels.class.getDeclaredConstructor(Path.class, Path.class);
        constructor.setAccessible(true);
        return constructor.newInstance(ROOT.resolve(DemoModels.ENCODER_MANIFEST), models);
    }

    private static Set<String> environmentNamesOf(Path module) throws IOException {
        return ServiceConfigNames.configMappingNamesOf(module);
    }
}
