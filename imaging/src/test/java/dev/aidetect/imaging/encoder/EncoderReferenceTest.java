package dev.aidetect.imaging.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncoderReferenceTest {

    @Test
    void mapsHuggingFaceReferenceToItsResolveUrlOnMainByDefault() throws Exception {
        assertThat(EncoderReference.parse("hf://acme/clip-encoders/vit-l-14/manifest.json"))
                .isEqualTo(new EncoderReference.Remote(
                        URI.create("https://huggingface.co/acme/clip-encoders/resolve/main/vit-l-14/manifest.json")));
    }

    @Test
    void mapsHuggingFaceReferenceWithRevisionToThatRevision() throws Exception {
        assertThat(EncoderReference.parse("hf://acme/clip-encoders@3f2a9c1/manifest.json"))
                .isEqualTo(new EncoderReference.Remote(
                        URI.create("https://huggingface.co/acme/clip-encoders/resolve/3f2a9c1/manifest.json")));
    }

    @Test
    void keepsHttpsManifestUrlAndDjlZooUrlAsGiven() throws Exception {
        assertThat(EncoderReference.parse("https://models.example.com/clip/manifest.json"))
                .isEqualTo(new EncoderReference.Remote(URI.create("https://models.example.com/clip/manifest.json")));
        assertThat(EncoderReference.parse("djl://ai.djl.pytorch/resnet"))
                .isEqualTo(new EncoderReference.Zoo("djl://ai.djl.pytorch/resnet"));
    }

    @Test
    void findsTheManifestNextToAModelFileAndInsideADirectory(@TempDir Path dir) throws Exception {
        assertThat(EncoderReference.parse(dir.resolve("encoder.onnx").toString()))
                .isEqualTo(new EncoderReference.Local(dir.resolve("manifest.json"), dir.resolve("encoder.onnx")));
        assertThat(EncoderReference.parse(dir.toString()))
                .isEqualTo(new EncoderReference.Local(dir.resolve("manifest.json"), null));
        assertThat(EncoderReference.parse(dir.resolve("clip.json").toUri().toString()))
                .isEqualTo(new EncoderReference.Local(dir.resolve("clip.json"), null));
    }

    @Test
    void refusesUnsupportedSchemesAndIncompleteHuggingFaceReferences() {
        assertThatThrownBy(() -> EncoderReference.parse("s3://bucket/clip/manifest.json"))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("unsupported encoder URI 's3://bucket/clip/manifest.json'")
                .hasMessageContaining("hf://org/repo[@revision]/path/manifest.json");
        assertThatThrownBy(() -> EncoderReference.parse("hf://acme/manifest.json"))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("is not a Hugging Face reference");
        assertThatThrownBy(() -> EncoderReference.parse(" "))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("no encoder is configured");
    }
}
