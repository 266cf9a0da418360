package dev.aidetect.embedding;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

import dev.aidetect.imaging.decode.DecodeLimits;
import dev.aidetect.imaging.encoder.EncoderDevice;
import dev.aidetect.imaging.encoder.EncoderPrecision;

/** Engine settings for tests: the service's defaults but for what a test varies. */
public final class TestEngineSettings {
    /** The committed tiny CLIP encoder, which the tests embed with. */
    public static final Path TINY_ENCODER = Path.of(System.getProperty("aidetect.project.root", ".."),
            "deploy/models/tiny-clip-vit/manifest.json");

    private TestEngineSettings() {
    }

    /** The tiny encoder, 16 images per pass after at most {@code maxWait}, 2 decode threads, 1 inference thread. */
    public static EngineSettings tiny(Duration maxWait) {
        return new EngineSettings(List.of(TINY_ENCODER.toString()), Path.of("target/model-cache"), false,
                EncoderDevice.CPU, EncoderPrecision.FLOAT32, DecodeLimits.defaults(), "auto", false, 16, maxWait,
                OptionalInt.of(2), 0, OptionalInt.of(1), OptionalInt.of(1),
                EngineSettings.DEFAULT_TORCH_INTEROP_THREADS, EngineSettings.DEFAULT_OMP_WAIT_POLICY);
    }

    /** Settings for decoding only: {@code jpegDecoder} and draft decoding as given. */
    public static EngineSettings with(boolean draftDecode, String jpegDecoder) {
        EngineSettings tiny = tiny(Duration.ofMillis(EngineSettings.DEFAULT_MAX_WAIT_MILLIS));
        return new EngineSettings(tiny.encoders(), tiny.modelCache(), false, tiny.device(), tiny.precision(),
                tiny.decodeLimits(), jpegDecoder, draftDecode, tiny.maxBatch(), tiny.maxWait(), tiny.decodeThreads(),
                0, tiny.inferenceThreads(), tiny.torchThreads(), tiny.torchInteropThreads(), tiny.ompWaitPolicy());
    }
}
