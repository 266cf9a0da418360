package dev.aidetect.embedder.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.aidetect.imaging.EncoderPrecision;

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

    private static EmbedderConfig config(Map<String, String> settings) {
        return TestEmbedderConfig.of(settings);
    }
}
