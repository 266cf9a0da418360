package dev.aidetect.classifier.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.classifier.inference.ModelDirectory.OutsideModelDirectoryException;

/** Which paths a reload may read a model from: only under the model directory, links followed. */
class ModelDirectoryTest {
    private static final String SETTING = "aidetect.classifier.model-dir";

    @TempDir
    Path dir;
    private Path models;
    private Path elsewhere;

    @BeforeEach
    void layOut() throws Exception {
        models = Files.createDirectories(dir.resolve("models"));
        elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(models.resolve("detection-v2.head"), "head");
        Files.writeString(elsewhere.resolve("secret.head"), "not a model of ours");
        Files.createDirectories(models.resolve("attribution-gan-v2"));
    }

    private Path confine(String requested) {
        return ModelDirectory.confine(models, requested, SETTING);
    }

    @Test
    void takesPathsUnderTheDirectoryAbsoluteOrRelativeToIt() {
        assertThat(confine(models.resolve("detection-v2.head").toString()))
                .isEqualTo(models.resolve("detection-v2.head"));
        assertThat(confine("detection-v2.head")).isEqualTo(models.resolve("detection-v2.head"));
        assertThat(confine("attribution-gan-v2")).isEqualTo(models.resolve("attribution-gan-v2"));
        assertThat(confine("not-yet-there.head")).as("a missing file is for the loader to report")
                .isEqualTo(models.resolve("not-yet-there.head"));
    }

    @Test
    void refusesDotDotEvenWhenItWouldStayInside() {
        assertThatThrownBy(() -> confine("../elsewhere/secret.head"))
                .isInstanceOf(OutsideModelDirectoryException.class)
                .hasMessageContaining("names '..'").hasMessageContaining(SETTING);
        assertThatThrownBy(() -> confine(models + "/attribution-gan-v2/../detection-v2.head"))
                .hasMessageContaining("names '..'");
    }

    @Test
    void refusesAnAbsolutePathElsewhere() {
        assertThatThrownBy(() -> confine(elsewhere.resolve("secret.head").toString()))
                .isInstanceOf(OutsideModelDirectoryException.class)
                .hasMessageContaining("is outside the model directory")
                .hasMessageContaining("AIDETECT_CLASSIFIER_MODEL_DIR");
        assertThatThrownBy(() -> confine("/etc/passwd")).hasMessageContaining("is outside the model directory");
    }

    @Test
    void refusesASymbolicLinkThatLeadsOutButTakesOneThatStaysInside() throws Exception {
        Files.createSymbolicLink(models.resolve("escape.head"), elsewhere.resolve("secret.head"));
        Files.createSymbolicLink(models.resolve("escape-dir"), elsewhere);
        Files.createSymbolicLink(models.resolve("current.head"), models.resolve("detection-v2.head"));

        assertThatThrownBy(() -> confine("escape.head"))
                .isInstanceOf(OutsideModelDirectoryException.class)
                .hasMessageContaining("through a symbolic link").hasMessageContaining(elsewhere.toString());
        assertThatThrownBy(() -> confine("escape-dir/secret.head")).hasMessageContaining("through a symbolic link");
        assertThatThrownBy(() -> confine("escape-dir/not-there.head")).hasMessageContaining("through a symbolic link");
        assertThat(confine("current.head")).as("a link inside is kept as given (the watcher follows it)")
                .isEqualTo(models.resolve("current.head"));
    }

    @Test
    void acceptsTheRealPathWhenTheDirectoryItselfIsALink() throws Exception {
        // given: the model directory reached through a link, as a Kubernetes volume is
        Path linked = Files.createSymbolicLink(dir.resolve("mounted"), models);

        assertThat(ModelDirectory.confine(linked, models.resolve("detection-v2.head").toString(), SETTING))
                .isEqualTo(models.resolve("detection-v2.head"));
        assertThat(ModelDirectory.confine(linked, "detection-v2.head", SETTING))
                .isEqualTo(linked.resolve("detection-v2.head"));
    }
}
