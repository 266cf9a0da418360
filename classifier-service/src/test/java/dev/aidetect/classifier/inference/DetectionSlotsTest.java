package dev.aidetect.classifier.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

import dev.aidetect.classifier.config.ClassifierConfig;
import dev.aidetect.classifier.domain.DetectionInput;
import dev.aidetect.classifier.domain.ModelSlot;
import dev.aidetect.classifier.domain.ModelStatus;
import dev.aidetect.classifier.domain.ModelStatus.State;

/** Which detection models an instance loads follows aidetect.classifier.detection-input. */
class DetectionSlotsTest {
    private static final String HEAD = "aidetect.classifier.detection-head";
    private static final String NETWORK = "aidetect.classifier.detection-network";
    private static final String INPUT = "aidetect.classifier.detection-input";

    @Test
    void decidesOnVectorsByDefaultSoExistingDeploymentsAreUnchanged() {
        ModelRegistry models = registry(Map.of(HEAD, "d.head"));

        assertThat(models.detectionInput()).isEqualTo(DetectionInput.VECTOR);
        assertThat(models.isConfigured(ModelSlot.DETECTION_HEAD)).isTrue();
        ModelStatus network = status(models, ModelSlot.DETECTION_NETWORK);
        assertThat(network.state()).isEqualTo(State.NOT_CONFIGURED);
        assertThat(network.blocksReadiness()).isFalse();
        assertThat(network.detail()).contains("not used: aidetect.classifier.detection-input=vector",
                "AIDETECT_CLASSIFIER_DETECTION_NETWORK");
    }

    @Test
    void pixelsLoadsTheNetworkAndNamesAConfiguredHeadAsUnused() {
        ModelRegistry models = registry(Map.of(INPUT, "pixels", HEAD, "d.head", NETWORK, "detection-network"));

        assertThat(models.detectionInput()).isEqualTo(DetectionInput.PIXELS);
        assertThat(models.isConfigured(ModelSlot.DETECTION_NETWORK)).isTrue();
        assertThat(models.isConfigured(ModelSlot.DETECTION_HEAD)).isFalse();
        ModelStatus head = status(models, ModelSlot.DETECTION_HEAD);
        assertThat(head.state()).isEqualTo(State.NOT_CONFIGURED);
        assertThat(head.detail()).contains("d.head is set but not used", "detection-input=pixels", "fused");
    }

    @Test
    void fusedLoadsBoth() {
        ModelRegistry models = registry(Map.of(INPUT, "FUSED", HEAD, "d.head", NETWORK, "detection-network"));

        assertThat(models.detectionInput()).isEqualTo(DetectionInput.FUSED);
        assertThat(models.isConfigured(ModelSlot.DETECTION_HEAD)).isTrue();
        assertThat(models.isConfigured(ModelSlot.DETECTION_NETWORK)).isTrue();
    }

    @Test
    void pixelsWithoutANetworkFailsReadinessAndSaysWhatToSet() {
        ModelRegistry models = registry(Map.of(INPUT, "pixels", HEAD, "d.head"));

        ModelStatus network = status(models, ModelSlot.DETECTION_NETWORK);
        assertThat(network.state()).isEqualTo(State.FAILED);
        assertThat(network.blocksReadiness()).isTrue();
        assertThat(network.detail()).contains("detection-input=pixels", "AIDETECT_CLASSIFIER_DETECTION_NETWORK",
                "aidetect train detector");
    }

    @Test
    void aNetworkLeftOnTheDefaultVectorInputIsAMistakeNotASilentFallback() {
        ModelRegistry models = registry(Map.of(NETWORK, "detection-network"));

        assertThat(status(models, ModelSlot.DETECTION_NETWORK).detail()).contains("set but not used",
                "detection-input=vector", "pixels or fused");
        assertThat(status(models, ModelSlot.DETECTION_HEAD).state()).isEqualTo(State.FAILED);
    }

    @Test
    void anInstanceWithoutDetectionModelsDoesNotServeDetection() {
        ModelRegistry models = registry(Map.of("aidetect.classifier.family-head", "f.head"));

        assertThat(status(models, ModelSlot.DETECTION_HEAD).state()).isEqualTo(State.NOT_CONFIGURED);
        assertThat(status(models, ModelSlot.DETECTION_NETWORK).state()).isEqualTo(State.NOT_CONFIGURED);
    }

    private static ModelStatus status(ModelRegistry models, ModelSlot slot) {
        return models.statuses().get(slot);
    }

    private static ModelRegistry registry(Map<String, String> settings) {
        ClassifierConfig config = new SmallRyeConfigBuilder().withMapping(ClassifierConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(settings, "test", 100)).build()
                .getConfigMapping(ClassifierConfig.class);
        return new ModelRegistry(config);
    }
}
