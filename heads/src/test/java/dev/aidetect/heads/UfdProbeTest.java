package dev.aidetect.heads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.testing.Prerequisites;

class UfdProbeTest {
    private static final String SHARED_PROBE = "../shared/models/ufd-linear-probe";
    private static final Path PROBE = Path.of(System.getProperty("aidetect.project.root", ".")).resolve(SHARED_PROBE)
            .normalize();

    @TempDir
    Path dir;

    @BeforeEach
    void needsThePublishedProbe() {
        Prerequisites.require(Files.isRegularFile(PROBE.resolve("fc_weights.pth")),
                SHARED_PROBE + " (UniversalFakeDetect's published probe)",
                "place the shared models beside the project");
    }

    private static float[] randomVector(long seed) {
        Random random = new Random(seed);
        float[] v = new float[UfdProbe.EMBEDDING_SIZE];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    @Test
    void pthCheckpointHoldsTheSameNumbersAsTheRawFloatFiles() throws IOException {
        VectorHead fromPth = UfdProbe.fromPth(PROBE.resolve("fc_weights.pth"));
        VectorHead fromRaw = UfdProbe.fromRaw(PROBE.resolve("fc_weight_768_f32le.bin"),
                PROBE.resolve("fc_bias_1_f32le.bin"));

        for (long seed = 0; seed < 20; seed++) {
            assertThat(fromPth.classify(randomVector(seed)).score())
                    .isEqualTo(fromRaw.classify(randomVector(seed)).score());
        }
    }

    @Test
    void scoreIsTheSigmoidOfWeightDotRawFeaturePlusBias() throws IOException {
        VectorHead probe = UfdProbe.fromPth(PROBE.resolve("fc_weights.pth"));
        float[] weight = new float[UfdProbe.EMBEDDING_SIZE];
        ByteBuffer.wrap(Files.readAllBytes(PROBE.resolve("fc_weight_768_f32le.bin")))
                .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(weight);
        float[] x = randomVector(5);
        double logit = -0.5167;
        for (int i = 0; i < weight.length; i++) {
            logit += weight[i] * x[i];
        }

        HeadDecision decision = probe.classify(x);

        assertThat(decision.score()).isCloseTo(1 / (1 + Math.exp(-logit)), within(1e-4));
        assertThat(decision.decision()).isEqualTo(logit > 0 ? "FAKE" : "REAL");
        // An all-zero feature leaves only the bias (-0.5167): REAL.
        assertThat(probe.classify(new float[UfdProbe.EMBEDDING_SIZE]).decision()).isEqualTo("REAL");
    }

    @Test
    void savedProbeLoadsAsAHeadForRawClipVitL14Features() throws IOException {
        VectorHead probe = UfdProbe.fromPth(PROBE.resolve("fc_weights.pth"));

        UfdProbe.save(probe, dir.resolve("ufd.head"));
        VectorHead loaded = VectorHead.load(dir.resolve("ufd.head"));

        assertThat(loaded.classify(randomVector(3))).isEqualTo(probe.classify(randomVector(3)));
        assertThat(loaded.metadata().encoder()).isEqualTo(new HeadMetadata.Encoder("openai-clip-vit-l-14", 768));
        assertThat(loaded.metadata().preprocessing().l2Normalize()).isFalse();
        assertThat(loaded.metadata().calibration()).isEqualTo("sigmoid-of-published-logit");
        assertThatThrownBy(() -> loaded.checkEncoder("tiny-clip-vit", 768))
                .isInstanceOf(VectorRejectedException.class).hasMessageContaining("openai-clip-vit-l-14");
    }

    @Test
    void refusesAFileThatIsNotAPyTorchCheckpoint() throws IOException {
        Path notZip = Files.write(dir.resolve("fc.bin"), new byte[3072]);

        assertThatThrownBy(() -> UfdProbe.fromPth(notZip)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a PyTorch zip checkpoint");
    }
}
