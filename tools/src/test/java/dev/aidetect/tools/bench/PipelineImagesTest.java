package dev.aidetect.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.schemas.Authenticity;

class PipelineImagesTest {

    @Test
    void phoneSizedImagesAreFourByThreeAtTheAskedMegapixels() {
        BufferedImage source = new BufferedImage(224, 224, BufferedImage.TYPE_INT_RGB);

        BufferedImage twelve = PipelineImages.phoneSized(source, 12, new SplittableRandom(1));
        BufferedImage three = PipelineImages.phoneSized(source, 3, new SplittableRandom(1));

        assertThat(List.of(twelve.getWidth(), twelve.getHeight())).containsExactly(4000, 3000);
        assertThat(List.of(three.getWidth(), three.getHeight())).containsExactly(2000, 1500);
    }

    @Test
    void writesTwoAlternatingSetsOnceAndReadsThemBackTheSecondTime(@TempDir Path dir) throws Exception {
        // when the sets are asked for twice with 1 MP phone images
        StringWriter log = new StringWriter();
        PipelineImages.Sets first = PipelineImages.ensure(dir, List.of(1), new PrintWriter(log, true));
        PipelineImages.Sets second = PipelineImages.ensure(dir, List.of(1), new PrintWriter(log, true));

        // then each set alternates real and fake, with both families, and the phone images are 1 MP JPEGs
        for (List<PipelineImages.Image> set : List.of(first.small(), first.phone())) {
            assertThat(set).hasSize(8);
            for (int i = 0; i < set.size(); i++) {
                assertThat(set.get(i).label().getAuthenticity())
                        .isEqualTo(i % 2 == 0 ? Authenticity.REAL : Authenticity.FAKE);
            }
            assertThat(set.stream().filter(PipelineImages.Image::fake).map(i -> i.label().getFamily()))
                    .containsExactly("gan", "diffusion", "gan", "diffusion");
        }
        BufferedImage phone = ImageIO.read(new ByteArrayInputStream(first.phone().get(1).bytes()));
        assertThat(List.of(phone.getWidth(), phone.getHeight())).containsExactly(1152, 864);
        assertThat(first.phone()).allMatch(i -> i.phone() && i.contentType().equals("image/jpeg"));
        assertThat(first.small()).noneMatch(PipelineImages.Image::phone);
        // written once: the second call read the same bytes back
        assertThat(log.toString().split("writing the benchmark images", -1)).hasSize(2);
        assertThat(second.phone().get(3).bytes()).isEqualTo(first.phone().get(3).bytes());
    }
}
