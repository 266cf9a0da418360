package dev.aidetect.tools.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.imaging.encoder.ImageEncoder;
import dev.aidetect.schemas.Authenticity;
import dev.aidetect.tools.dataset.LabelledImage;
import dev.aidetect.tools.samples.SampleSetWriter;
import dev.aidetect.tools.samples.SyntheticGenerator;

/**
 * Embedding a labelled folder with the committed tiny encoder, as {@code train heads --images} does: every labelled
 * image that decodes gives one vector with its label; the others are left out, each with its file and why.
 */
class LabelledEmbeddingsTest {
    private static final Path TINY_ENCODER = Path.of("../deploy/models/tiny-clip-vit/manifest.json");
    private static ImageEncoder encoder;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadEncoder() throws Exception {
        encoder = ImageEncoder.load(TINY_ENCODER);
    }

    @AfterAll
    static void closeEncoder() {
        encoder.close();
    }

    @Test
    void leavesOutUnlabelledAndUndecodableFilesSayingWhichAndWhy() throws IOException {
        // given
        SampleSetWriter.write(dir, List.of(SyntheticGenerator.REAL, SyntheticGenerator.UPCONV_GAN), 1, 32, 1, false,
                n -> {
                });
        Path html = Files.writeString(dir.resolve("real/page.jpg"), "<html><body>not a photo</body></html>");
        Path loose = Files.copy(dir.resolve("real/real-0000.jpg"), dir.resolve("loose.jpg"));
        List<Integer> progress = new ArrayList<>();

        // when
        LabelledEmbeddings data = LabelledEmbeddings.embed(encoder, LabelledImage.collect(List.of(dir)),
                progress::add);

        // then
        assertThat(data.encoderId()).isEqualTo(encoder.id());
        assertThat(data.vectors()).hasSize(2).allSatisfy(v -> assertThat(v).hasSize(encoder.embeddingSize()));
        assertThat(data.labels()).extracting(l -> l.getAuthenticity() + " " + l.getGenerator())
                .containsExactly("FAKE upconv-gan", "REAL null");
        assertThat(data.skipped()).hasSize(2).contains(
                loose + ": no label (not under real/ or fake/<family>/<generator>/)")
                .anySatisfy(line -> assertThat(line).startsWith(html + ": NOT_AN_IMAGE "));
        assertThat(progress).containsExactly(1, 2, 3);
    }

    @Test
    void vectorsAcrossBatchBoundariesAreTheVectorsOfEachImageAlone() throws IOException {
        SampleSetWriter.write(dir, List.of(SyntheticGenerator.LATENT_DIFFUSION), 18, 32, 2, false, n -> {
        });
        List<LabelledImage> images = LabelledImage.collect(List.of(dir));

        LabelledEmbeddings all = LabelledEmbeddings.embed(encoder, images, n -> {
        });

        assertThat(all.vectors()).hasSize(18);
        for (int i : new int[]{0, 15, 16, 17}) {
            float[] alone = LabelledEmbeddings.embed(encoder, List.of(images.get(i)), n -> {
            }).vectors().getFirst();
            assertThat(all.vectors().get(i)).as("image %d", i).containsExactly(alone,
                    org.assertj.core.data.Offset.offset(1e-4f));
        }
        assertThat(all.labels()).allMatch(l -> l.getAuthenticity() == Authenticity.FAKE
                && "latent-diffusion".equals(l.getGenerator()));
    }

    @Test
    void augmentedCopiesAreEmbeddedBesideTheirOriginalWhichStaysTheVectorOfTheImageAlone() throws IOException {
        // given: 18 images, two copies each, so copies and originals share batches
        SampleSetWriter.write(dir, List.of(SyntheticGenerator.REAL, SyntheticGenerator.UPCONV_GAN), 9, 32, 3, false,
                n -> {
                });
        List<LabelledImage> images = LabelledImage.collect(List.of(dir));
        HeadAugmentation.Plan augment = new HeadAugmentation.Plan(
                HeadAugmentation.parse(List.of("jpeg", "blur", "jitter", "crop")), 2, 7);

        // when
        LabelledEmbeddings.WithCopies embedded = LabelledEmbeddings.embed(encoder, images, augment.copier(), n -> {
        });

        // then
        LabelledEmbeddings plain = LabelledEmbeddings.embed(encoder, images, n -> {
        });
        assertThat(embedded.data().vectors()).hasSize(18);
        assertThat(embedded.copies()).hasSize(18).allSatisfy(c -> assertThat(c).hasSize(2));
        assertThat(embedded.copyCount()).isEqualTo(36);
        for (int i = 0; i < 18; i++) {
            assertThat(embedded.data().vectors().get(i)).as("image %d", i).containsExactly(plain.vectors().get(i),
                    org.assertj.core.data.Offset.offset(1e-4f));
            assertThat(embedded.copies().get(i).getFirst()).isNotEqualTo(plain.vectors().get(i));
        }
        assertThat(embedded.data().labels()).isEqualTo(plain.labels());
    }

    @Test
    void noImagesGiveNoVectors() {
        LabelledEmbeddings data = LabelledEmbeddings.embed(encoder, List.of(), n -> {
        });

        assertThat(data.vectors()).isEmpty();
        assertThat(data.skipped()).isEmpty();
    }
}
