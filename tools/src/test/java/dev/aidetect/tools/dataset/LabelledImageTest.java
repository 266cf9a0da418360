package dev.aidetect.tools.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.ImageSubmissions;

class LabelledImageTest {
    @Test
    void readsTheLabelFromRealAndFakeFamilyGeneratorFolders(@TempDir Path root) throws Exception {
        Path real = touch(root.resolve("cifake/real/a.jpg"));
        Path fake = touch(root.resolve("cifake/fake/diffusion/sd-1.4/b.png"));
        Path bare = touch(root.resolve("cifake/fake/c.png"));
        Path other = touch(root.resolve("cifake/misc/d.png"));

        List<LabelledImage> images = LabelledImage.collect(List.of(root.resolve("cifake")));

        assertThat(images).extracting(LabelledImage::file).containsExactly(bare, fake, other, real);
        assertThat(images.get(3).label().getAuthenticity()).isEqualTo(Authenticity.REAL);
        assertThat(images.get(3).label().getDataset()).isEqualTo("cifake");
        assertThat(images.get(1).label().getFamily()).isEqualTo("diffusion");
        assertThat(images.get(1).label().getGenerator()).isEqualTo("sd-1.4");
        assertThat(images.get(0).label().getAuthenticity()).isEqualTo(Authenticity.FAKE);
        assertThat(images.get(0).label().getFamily()).isNull();
        assertThat(images.get(2).label()).isNull();
    }

    @Test
    void namesAMissingPath(@TempDir Path root) {
        assertThatThrownBy(() -> LabelledImage.collect(List.of(root.resolve("nope"))))
                .hasMessageContaining("no such file or directory").hasMessageContaining("nope");
    }

    @Test
    void everySubmissionGetsAFreshReadableId() {
        String a = ImageSubmissions.newImageId("cat photo");
        String b = ImageSubmissions.newImageId("cat photo");

        assertThat(a).startsWith("cat_photo-").isNotEqualTo(b);
    }

    private static Path touch(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        return Files.write(file, new byte[]{1});
    }
}
