package dev.aidetect.embedder.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.aidetect.common.RetryPolicy;
import dev.aidetect.embedding.EngineSettings;
import dev.aidetect.imaging.encoder.EncoderPrecision;
import dev.aidetect.imaging.encoder.ModelCache;

class EmbedderConfigTest {

    @Test
    void precisionDefaultsToFloat32AndReadsItsSettingNames() {
        assertThat(config(Map.of()).effectivePrecision()).isEqualTo(EncoderPrecision.FLOAT32);
        assertThat(config(Map.of("aidetect.embedder.precision", "bfloat16")).effectivePrecision())
                .isEqualTo(EncoderPrecision.BFLOAT16);
        assertThat(config(Map.of("aidetect.embedder.precision", "float16")).effectivePrecision())
                .isEqualTo(EncoderPrecision.FLOAT16);
    }

    @Test
    void deprecatedFp16MeansFloat16UnlessAPrecisionIsSet() {
        assertThat(config(Map.of("aidetect.embedder.fp16", "true")).effectivePrecision())
                .isEqualTo(EncoderPrecision.FLOAT16);
        assertThat(config(Map.of("aidetect.embedder.fp16", "true", "aidetect.embedder.precision", "bfloat16"))
                .effectivePrecision()).isEqualTo(EncoderPrecision.BFLOAT16);
    }

    @Test
    void engineSettingsTakeTheEncodersInOrderAndTheEmbeddersDefaults() {
        EngineSettings settings = config(Map.of("aidetect.embedder.encoder-manifest", "clip/manifest.json",
                "aidetect.embedder.encoders", "dino/manifest.json,siglip/manifest.json",
                "aidetect.embedder.fp16", "true", "aidetect.embedder.max-batch", "8")).engineSettings();

        assertThat(settings.encoders()).containsExactly("clip/manifest.json", "dino/manifest.json",
                "siglip/manifest.json");
        assertThat(settings.precision()).as("the deprecated alias applies").isEqualTo(EncoderPrecision.FLOAT16);
        assertThat(settings.maxBatch()).isEqualTo(8);
        assertThat(settings.maxWait()).isEqualTo(Duration.ofMillis(EngineSettings.DEFAULT_MAX_WAIT_MILLIS));
        assertThat(settings.modelCache()).isEqualTo(ModelCache.defaultRoot());
        assertThat(settings.jpegDecoder()).isEqualTo("libjpeg-turbo");
        assertThat(settings.ompWaitPolicy()).isEqualTo(EngineSettings.DEFAULT_OMP_WAIT_POLICY);
    }

    @Test
    void fetchesRetryTransientFailuresFourTimesWithinFifteenSecondsUnlessConfigured() {
        assertThat(config(Map.of()).fetchSettings().retry()).contains(new RetryPolicy(4, Duration.ofMillis(250),
                Duration.ofSeconds(2), Duration.ofSeconds(15)));
        assertThat(config(Map.of("aidetect.embedder.fetch.retry.attempts", "1",
                "aidetect.embedder.fetch.retry.max-total", "3s")).fetchSettings().retry())
                .hasValueSatisfying(retry -> {
                    assertThat(retry.maxAttempts()).isEqualTo(1);
                    assertThat(retry.maxTotal()).isEqualTo(Duration.ofSeconds(3));
                });
    }

    private static EmbedderConfig config(Map<String, String> settings) {
        return TestEmbedderConfig.of(settings);
    }
}
