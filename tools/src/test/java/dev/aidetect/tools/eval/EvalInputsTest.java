package dev.aidetect.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.tools.cli.CommandFailure;

/** The data set layouts eval reads, and what it makes of folders that name less than it needs. */
class EvalInputsTest {
    @TempDir
    Path dir;

    @Test
    void readsTheProjectLayoutAsOneDataSetNamedAfterItsFolder() throws IOException {
        Path root = dir.resolve("set-1");
        touch(root.resolve("real/a.jpg"), root.resolve("fake/gan/stylegan/b.png"), root.resolve("notes.txt"));

        EvalInputs.Folder folder = EvalInputs.read(root, null, null);

        assertThat(folder.datasets()).containsExactly("set-1");
        assertThat(folder.images()).extracting(EvalImage::originalId)
                .containsExactly("set-1/fake/gan/stylegan/b.png", "set-1/real/a.jpg");
        assertThat(folder.images().getFirst().label())
                .isEqualTo(new ImageLabel(Authenticity.FAKE, "gan", "stylegan", "set-1"));
        assertThat(folder.notes()).singleElement().asString().contains("left out 1 files");
    }

    @Test
    void aFlatFakeFolderIsUnnamedUnlessTheOptionsOrDatasetPropertiesNameIt() throws IOException {
        Path root = dir.resolve("cifake");
        touch(root.resolve("real/a.jpg"), root.resolve("fake/b.jpg"));

        EvalInputs.Folder unnamed = EvalInputs.read(root, null, null);
        EvalInputs.Folder named = EvalInputs.read(root, "diffusion", "sd-1.4");
        Files.writeString(root.resolve(EvalInputs.PROPERTIES), "name=cifake-dev\nfake.family=diffusion\n"
                + "fake.generator=sd-1.4\n");
        EvalInputs.Folder fromFile = EvalInputs.read(root, null, null);

        assertThat(unnamed.images().getFirst().label().getFamily()).isNull();
        assertThat(unnamed.notes()).singleElement().asString().contains("1 fakes have no fake/<family>/<generator>/",
                "'unnamed'", "--fake-family");
        assertThat(named.images().getFirst().label())
                .isEqualTo(new ImageLabel(Authenticity.FAKE, "diffusion", "sd-1.4", "cifake"));
        assertThat(fromFile.images().getFirst().label())
                .isEqualTo(new ImageLabel(Authenticity.FAKE, "diffusion", "sd-1.4", "cifake-dev"));
        assertThat(fromFile.images()).hasSize(2);
    }

    @Test
    void readsTheCnnDetectionLayoutWithADataSetPerGenerator() throws IOException {
        Path root = dir.resolve("test");
        touch(root.resolve("progan/airplane/0_real/a.png"), root.resolve("progan/airplane/1_fake/b.png"),
                root.resolve("progan/cat/1_fake/c.png"), root.resolve("ldm_200/0_real/d.png"),
                root.resolve("ldm_200/1_fake/e.png"), root.resolve("san/1_fake/f.png"));

        EvalInputs.Folder folder = EvalInputs.read(root, null, null);

        assertThat(folder.datasets()).containsExactly("ldm_200", "progan", "san");
        assertThat(folder.images()).hasSize(6);
        assertThat(folder.images()).filteredOn(i -> i.originalId().endsWith("b.png")).singleElement()
                .extracting(EvalImage::label)
                .isEqualTo(new ImageLabel(Authenticity.FAKE, "gan", "progan", "progan"));
        assertThat(folder.images()).filteredOn(i -> i.originalId().endsWith("d.png")).singleElement()
                .extracting(EvalImage::label).isEqualTo(new ImageLabel(Authenticity.REAL, null, null, "ldm_200"));
        assertThat(folder.notes()).singleElement().asString().contains("[san]");
    }

    @Test
    void refusesAFolderInNeitherLayout() throws IOException {
        touch(dir.resolve("photos/a.jpg"));

        assertThatThrownBy(() -> EvalInputs.read(dir.resolve("photos"), null, null))
                .isInstanceOf(CommandFailure.class).hasMessageContaining("neither real/ and fake/");
        assertThatThrownBy(() -> EvalInputs.read(dir.resolve("nothing"), null, null))
                .hasMessageContaining("is not a folder");
    }

    @Test
    void aLimitTakesImagesInTurnFromEachStratum() throws IOException {
        Path root = dir.resolve("set");
        for (int i = 0; i < 6; i++) {
            touch(root.resolve("real/r" + i + ".jpg"), root.resolve("fake/gan/a/a" + i + ".jpg"));
        }
        touch(root.resolve("fake/gan/b/b0.jpg"));

        List<EvalImage> taken = EvalImage.balanced(EvalInputs.read(root, null, null).images(), 5);

        assertThat(taken).extracting(i -> i.image().file().getFileName().toString())
                .containsExactlyInAnyOrder("a0.jpg", "a1.jpg", "b0.jpg", "r0.jpg", "r1.jpg");
    }

    private static void touch(Path... files) throws IOException {
        for (Path file : files) {
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[]{1});
        }
    }
}
