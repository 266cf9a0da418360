package dev.aidetect.imaging.decode;

import static dev.aidetect.testing.Prerequisites.requireDebianTorch;
import static dev.aidetect.testing.Prerequisites.requireLibTurboJpeg;
import static dev.aidetect.testing.Prerequisites.requireSkimagePhotos;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.imaging.encoder.ImageEncoder;
import dev.aidetect.imaging.encoder.PreprocessMode;
import dev.aidetect.imaging.encoder.Preprocessor;
import dev.aidetect.imaging.fixtures.PythonReference;
import dev.aidetect.imaging.fixtures.TestImages;
import dev.aidetect.imaging.fixtures.Vectors;

/**
 * Draft decoding ({@link ImageDecoder#draft}) against PIL's {@code Image.draft("RGB", (224, 224))} on phone-sized
 * JPEGs made from real photos (baseline and progressive): the same DCT scale, the same pixels, the same CLIP tensor
 * and embedding. Also prints what draft mode changes against a full decode: the mean |diff| of the CLIP tensor (in
 * normalised units, a pixel level is about 0.015) and the tiny encoder's cosine against Python's full decode.
 * Skipped without Debian's python3-torch/torchvision, scikit-image's photos or libturbojpeg0.
 */
class DraftDecodeParityTest {

    private static final Path SKIMAGE = Path.of("/usr/lib/python3/dist-packages/skimage/data");
    private static final int SIDE = 224;
    private static final double TENSOR_TOLERANCE = 1e-6;
    private static final double MIN_COSINE = 0.9999;

    /** One photo: its sizes, Java vs PIL in draft mode, and Java's draft against PIL's full decode. */
    record Row(String name, String fullSize, String draftSize, String pilDraftSize, int pixelMaxDiff,
            double tensorMaxDiff, double draftCosine, double draftVsFullMeanDiff, double draftVsFullCosine) {
    }

    private static final List<Row> ROWS = new ArrayList<>();

    @BeforeAll
    static void compareDraftDecodesWithPil(@TempDir Path out) throws Exception {
        requireDebianTorch(PythonReference.available());
        requireLibTurboJpeg(TurboJpeg.system().isPresent());
        requireSkimagePhotos(Files.isRegularFile(SKIMAGE.resolve("coffee.png")));
        List<Path> photos = List.of(
                PythonReference.largeJpeg(SKIMAGE.resolve("coffee.png"), out.resolve("coffee-4000x3000.jpg"), 4000,
                        3000, false),
                PythonReference.largeJpeg(SKIMAGE.resolve("chelsea.png"), out.resolve("chelsea-2000x1500-prog.jpg"),
                        2000, 1500, true),
                PythonReference.largeJpeg(SKIMAGE.resolve("astronaut.png"), out.resolve("astronaut-1000x1000.jpg"),
                        1000, 1000, false));
        try (ImageEncoder encoder = ImageEncoder.load(TestImages.tinyEncoderManifest())) {
            compare(encoder, photos, out);
        }
        printTable();
    }

    private static void compare(ImageEncoder encoder, List<Path> photos, Path out) throws Exception {
        Preprocessor clip = new Preprocessor(PreprocessMode.CLIP, SIDE, encoder.manifest().mean(),
                encoder.manifest().std());
        ImageDecoder draft = new ImageDecoder(DecodeLimits.defaults()).draft(SIDE);
        ImageDecoder full = new ImageDecoder(DecodeLimits.defaults());
        Path draftOut = Files.createDirectories(out.resolve("draft"));
        Path fullOut = Files.createDirectories(out.resolve("full"));
        List<PythonReference.Result> pilDraft = PythonReference.compute(encoder.manifest().verifiedFile(), photos,
                draftOut, SIDE);
        List<PythonReference.Result> pilFull = PythonReference.compute(encoder.manifest().verifiedFile(), photos,
                fullOut);
        for (int i = 0; i < photos.size(); i++) {
            byte[] bytes = Files.readAllBytes(photos.get(i));
            DecodedImage java = draft.decode(bytes);
            DecodedImage whole = full.decode(bytes);
            assertThat(List.of(java.width(), java.height())).as("the full size is recorded")
                    .containsExactly(whole.width(), whole.height());
            PythonReference.Result pil = pilDraft.get(i);
            float[] tensor = clip.preprocess(java.rgb());
            float[] embedding = encoder.embed(tensor, 1)[0];
            ROWS.add(new Row(photos.get(i).getFileName().toString(), whole.width() + "x" + whole.height(),
                    java.rgb().getWidth() + "x" + java.rgb().getHeight(),
                    pil.pilPixels().getWidth() + "x" + pil.pilPixels().getHeight(),
                    TestImages.channelDiffs(RgbImages.pixels(java.rgb()), RgbImages.pixels(pil.pilPixels())).max()
                            .orElseThrow(),
                    TestImages.tensorDiffs(tensor, pil.tensor(PreprocessMode.CLIP)).max().orElseThrow(),
                    Vectors.cosine(embedding, pil.embedding(PreprocessMode.CLIP)),
                    TestImages.tensorDiffs(tensor, pilFull.get(i).tensor(PreprocessMode.CLIP)).average().orElseThrow(),
                    Vectors.cosine(embedding, pilFull.get(i).embedding(PreprocessMode.CLIP))));
        }
    }

    @Test
    void decodesAtPilsDraftScaleToPilsDraftPixels() {
        assertThat(ROWS).extracting(Row::draftSize).containsExactly("500x375", "500x375", "250x250");
        for (Row row : ROWS) {
            assertThat(row.draftSize()).as(row.name()).isEqualTo(row.pilDraftSize());
            assertThat(row.pixelMaxDiff()).as("%s pixel max |diff|", row.name()).isZero();
            assertThat(row.tensorMaxDiff()).as("%s CLIP tensor max |diff|", row.name())
                    .isLessThanOrEqualTo(TENSOR_TOLERANCE);
            assertThat(row.draftCosine()).as("%s embedding cosine", row.name()).isGreaterThanOrEqualTo(MIN_COSINE);
        }
    }

    private static void printTable() {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%nDraft decoding, Java vs PIL draft(\"RGB\", (224, 224)) (tiny-clip-vit, CLIP mode)%n"
                        + "%-28s %-10s %-9s %8s %10s %12s | %-22s %s%n",
                "image", "full", "draft", "pix max", "tensor max", "cos vs draft", "tensor mean vs full",
                "cos vs full PIL"));
        for (Row r : ROWS) {
            table.append(String.format(Locale.ROOT, "%-28s %-10s %-9s %8d %10.3g %12.8f | %-22.4f %.8f%n", r.name(),
                    r.fullSize(), r.draftSize(), r.pixelMaxDiff(), r.tensorMaxDiff(), r.draftCosine(),
                    r.draftVsFullMeanDiff(), r.draftVsFullCosine()));
        }
        System.out.println(table);
    }
}
