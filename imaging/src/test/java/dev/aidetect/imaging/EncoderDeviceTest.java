package dev.aidetect.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import ai.djl.Device;

class EncoderDeviceTest {

    private static final List<Float> ONES = List.of(1f, 1f, 1f);
    private static final EncoderManifest FLOAT32_ONLY = manifest(null);
    private static final EncoderManifest WITH_FP16 = manifest(Path.of("encoder-fp16.pt"));

    @Test
    void autoTakesTheGpuWhenTheEngineSeesOneElseTheCpu() throws Exception {
        assertThat(EncoderDevice.AUTO.place(false, 1, FLOAT32_ONLY))
                .isEqualTo(new EncoderDevice.Placement(Device.gpu(), false));
        assertThat(EncoderDevice.AUTO.place(false, 0, FLOAT32_ONLY))
                .isEqualTo(new EncoderDevice.Placement(Device.cpu(), false));
        assertThat(EncoderDevice.CPU.place(false, 2, FLOAT32_ONLY))
                .isEqualTo(new EncoderDevice.Placement(Device.cpu(), false));
    }

    @Test
    void refusesGpuWhenTheEngineSeesNone() {
        assertThatThrownBy(() -> EncoderDevice.GPU.place(false, 0, FLOAT32_ONLY))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("device gpu is configured for encoder test v1 but engine PyTorch sees no GPU");
    }

    @Test
    void runsFp16OnTheGpuFromTheManifestsFp16Export() throws Exception {
        assertThat(EncoderDevice.AUTO.place(true, 1, WITH_FP16))
                .isEqualTo(new EncoderDevice.Placement(Device.gpu(), true));
        assertThatThrownBy(() -> EncoderDevice.GPU.place(true, 1, FLOAT32_ONLY))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("has no fp16File in its manifest");
    }

    @Test
    void fallsBackToFloat32OnTheCpuWithAutoButRefusesFp16WithDeviceCpu() throws Exception {
        assertThat(EncoderDevice.AUTO.place(true, 0, WITH_FP16))
                .isEqualTo(new EncoderDevice.Placement(Device.cpu(), false));
        assertThatThrownBy(() -> EncoderDevice.CPU.place(true, 1, WITH_FP16))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("fp16 is set with device cpu")
                .hasMessageContaining("half precision runs only on a GPU");
    }

    private static EncoderManifest manifest(Path fp16File) {
        return new EncoderManifest("test", "1", Path.of("encoder.pt"), "PyTorch", 224, PreprocessMode.CLIP, ONES, ONES,
                8, "0".repeat(64), fp16File, fp16File == null ? null : "1".repeat(64));
    }
}
