package dev.aidetect.imaging.encoder;

import static dev.aidetect.testing.Prerequisites.require;
import static dev.aidetect.testing.Prerequisites.requireDebianTorch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.imaging.fixtures.PythonReference;
import dev.aidetect.imaging.fixtures.TestImages;
import dev.aidetect.imaging.fixtures.Vectors;

/** Loading encoders from local model files (TorchScript and ONNX) and from the DJL model zoo. */
class EncoderLoaderTest {

    private static final System.Logger LOG = System.getLogger(EncoderLoaderTest.class.getName());

    private final EncoderLoader loader = EncoderLoader.defaults();

    @Test
    void onnxExportOfTheTinyEncoderEmbedsAsItsTorchScriptDoes(@TempDir Path dir) throws Exception {
        requireDebianTorch(PythonReference.available());
        PythonReference.makeEncoder(dir, "--onnx");
        Path torchScript = TestImages.tinyEncoderManifest().resolveSibling("encoder.pt");

        try (ImageEncoder onnx = loader.load(dir.resolve("encoder.onnx").toString());
                ImageEncoder pt = loader.load(torchScript.toString())) {
            assertThat(onnx.manifest().engine()).isEqualTo("OnnxRuntime");
            assertThat(onnx.id()).isEqualTo(pt.id());
            Preprocessor preprocessor = pt.preprocessor();
            float[] batch = new float[2 * preprocessor.floatsPerImage()];
            preprocessor.preprocess(TestImages.pattern(320, 240), batch, 0);
            preprocessor.preprocess(TestImages.pattern(97, 300), batch, preprocessor.floatsPerImage());

            float[][] fromOnnx = onnx.embed(batch, 2);
            float[][] fromPt = pt.embed(batch, 2);
            for (int i = 0; i < 2; i++) {
                double cosine = Vectors.cosine(fromOnnx[i], fromPt[i]);
                LOG.log(Level.INFO, "ONNX vs TorchScript tiny encoder, image {0}: cosine {1}", i,
                        String.format("%.7f", cosine));
                assertThat(cosine).as("image %d", i).isGreaterThanOrEqualTo(0.9999);
            }
        }
    }

    @Test
    void refusesAModelFileThatItsNeighbouringManifestDoesNotDescribe(@TempDir Path dir) throws Exception {
        Path tiny = TestImages.tinyEncoderManifest();
        Files.copy(tiny, dir.resolve("manifest.json"));
        Files.copy(tiny.resolveSibling("encoder.pt"), dir.resolve("encoder.pt"));
        Path other = Files.copy(tiny.resolveSibling("encoder.pt"), dir.resolve("other.pt"));

        assertThatThrownBy(() -> loader.load(other.toString()))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("model file " + other + " is not the one its manifest");
    }

    @Test
    void explainsHowToSupplyAZooEncoderThatCannotBeResolved() {
        // Online, DJL might really download the zoo model instead of explaining how to supply it.
        require(Boolean.getBoolean("ai.djl.offline"), "the system property ai.djl.offline=true",
                "run the tests through Maven, whose surefire configuration sets it");

        assertThatThrownBy(() -> loader.load("djl://ai.djl.pytorch/resnet18_embedding"))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining(
                        "DJL could not load DJL model-zoo encoder djl://ai.djl.pytorch/resnet18_embedding")
                .hasMessageContaining("must be on the class path")
                .hasMessageContaining("load it once on a machine with internet");
    }
}
