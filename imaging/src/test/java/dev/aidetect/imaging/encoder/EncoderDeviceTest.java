package dev.aidetect.imaging.encoder;

import static dev.aidetect.imaging.encoder.EncoderPrecision.BFLOAT16;
import static dev.aidetect.imaging.encoder.EncoderPrecision.FLOAT16;
import static dev.aidetect.imaging.encoder.EncoderPrecision.FLOAT32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import ai.djl.Device;

class EncoderDeviceTest {

    private static final List<Float> ONES = List.of(1f, 1f, 1f);
    private static final EncoderManifest FLOAT32_ONLY = manifest(null, null);
    private static final EncoderManifest WITH_HALVES = manifest(Path.of("encoder-fp16.pt"), Path.of("encoder-bf16.pt"));

    @Test
    void autoTakesTheGpuWhenTheEngineSeesOneElseTheCpu() throws Exception {
        assertThat(EncoderDevice.AUTO.place(FLOAT32, 1, FLOAT32_ONLY))
                .isEqualTo(new EncoderDevice.Placement(Device.gpu(), FLOAT32));
        assertThat(EncoderDevice.AUTO.place(FLOAT32, 0, FLOAT32_ONLY))
                .isEqualTo(new EncoderDevice.Placement(Device.cpu(), FLOAT32));
        assertThat(EncoderDevice.CPU.place(FLOAT32, 2, FLOAT32_ONLY))
                .isEqualTo(new EncoderDevice.Placement(Device.cpu(), FLOAT32));
    }

    @Test
    void refusesGpuWhenTheEngineSeesNone() {
        assertThatThrownBy(() -> EncoderDevice.GPU.place(FLOAT32, 0, FLOAT32_ONLY))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("device gpu is configured for encoder test v1 but engine PyTorch sees no GPU");
    }

    @Test
    void runsFloat16OnTheGpuFromTheManifestsFp16Export() throws Exception {
        assertThat(EncoderDevice.AUTO.place(FLOAT16, 1, WITH_HALVES))
                .isEqualTo(new EncoderDevice.Placement(Device.gpu(), FLOAT16));
        assertThatThrownBy(() -> EncoderDevice.GPU.place(FLOAT16, 1, FLOAT32_ONLY))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("has no fp16File in its manifest");
    }

    @Test
    void fallsBackToFloat32OnTheCpuWithAutoButRefusesFloat16WithDeviceCpu() throws Exception {
        assertThat(EncoderDevice.AUTO.place(FLOAT16, 0, WITH_HALVES))
                .isEqualTo(new EncoderDevice.Placement(Device.cpu(), FLOAT32));
        assertThatThrownBy(() -> EncoderDevice.CPU.place(FLOAT16, 1, WITH_HALVES))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("precision float16 is set with device cpu")
                .hasMessageContaining("float16 runs only on a GPU; on a CPU use bfloat16 or float32");
    }

    @Test
    void runsBfloat16OnTheCpuAndTheGpuFromTheManifestsBf16Export() throws Exception {
        assertThat(EncoderDevice.CPU.place(BFLOAT16, 1, WITH_HALVES))
                .isEqualTo(new EncoderDevice.Placement(Device.cpu(), BFLOAT16));
        assertThat(EncoderDevice.AUTO.place(BFLOAT16, 0, WITH_HALVES))
                .isEqualTo(new EncoderDevice.Placement(Device.cpu(), BFLOAT16));
        assertThat(EncoderDevice.GPU.place(BFLOAT16, 1, WITH_HALVES))
                .isEqualTo(new EncoderDevice.Placement(Device.gpu(), BFLOAT16));
        assertThatThrownBy(() -> EncoderDevice.CPU.place(BFLOAT16, 0, FLOAT32_ONLY))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("precision bfloat16 is set but encoder test v1 has no bf16File")
                .hasMessageContaining("export it with --bf16");
    }

    private static EncoderManifest manifest(Path fp16File, Path bf16File) {
        return new EncoderManifest("test", "1", Path.of("encoder.pt"), "PyTorch", 224, PreprocessMode.CLIP, ONES, ONES,
                8, "0".repeat(64), fp16File, fp16File == null ? null : "1".repeat(64), bf16File,
                bf16File == null ? null : "2".repeat(64));
    }
}
