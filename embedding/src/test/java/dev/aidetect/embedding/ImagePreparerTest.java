package dev.aidetect.embedding;

import static dev.aidetect.testing.Prerequisites.requireLibTurboJpeg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.aidetect.imaging.decode.DecodeLimits;
import dev.aidetect.imaging.decode.ImageDecoder;
import dev.aidetect.imaging.decode.JpegDecoder;
import dev.aidetect.imaging.decode.TurboJpegLibrary;
import dev.aidetect.imaging.encoder.PreprocessMode;
import dev.aidetect.imaging.encoder.Preprocessor;
import dev.aidetect.schemas.ImageSubmitted;

/** Draft decoding as the embedder applies it: large JPEGs with CLIP preprocessing only, the scale recorded. */
class ImagePreparerTest {
    private static final List<Float> MEAN = List.of(0.48145466f, 0.4578275f, 0.40821073f);
    private static final List<Float> STD = List.of(0.26862954f, 0.26130258f, 0.27577711f);
    private static final Preprocessor CLIP = new Preprocessor(PreprocessMode.CLIP, 224, MEAN, STD);
    private static final Preprocessor CROP = new Preprocessor(PreprocessMode.CROP, 224, MEAN, STD);
    private static final byte[] PHOTO = TestSubmissions.jpeg(1800, 1200);

    @Test
    void draftDecodesALargeJpegForClipAndRecordsTheScaleAndTheFullSize() throws Exception {
        // Only libturbojpeg0 decodes at a DCT scale; without it the draft decoder decodes in full.
        requireLibTurboJpeg(new ImageDecoder(DecodeLimits.defaults()).draft(224).decode(PHOTO).draft());
        float[] buffer = new float[CLIP.floatsPerImage()];

        PreparedImage image = preparer(true).prepare(submission(PHOTO), CLIP, buffer, new AtomicInteger());

        assertThat(image.decodeScale()).as("min(1800, 1200) / 224 = 5: 1/4").isEqualTo(4);
        assertThat(List.of(image.width(), image.height())).containsExactly(1800, 1200);
        float[] expected = CLIP.preprocess(new ImageDecoder(DecodeLimits.defaults()).draft(224).decode(PHOTO).rgb());
        assertThat(buffer).containsExactly(expected);
        assertThat(Arrays.equals(buffer, CLIP.preprocess(new ImageDecoder(DecodeLimits.defaults()).decode(PHOTO)
                .rgb()))).as("differs from the full decode's tensor").isFalse();
    }

    @Test
    void decodesInFullWithCropPreprocessingOrWithDraftDecodingOff() throws Exception {
        float[] buffer = new float[CLIP.floatsPerImage()];

        assertThat(preparer(true).prepare(submission(PHOTO), CROP, buffer, new AtomicInteger()).decodeScale())
                .as("a crop needs the full-size pixels").isEqualTo(1);
        assertThat(preparer(false).prepare(submission(PHOTO), CLIP, buffer, new AtomicInteger()).decodeScale())
                .isEqualTo(1);
    }

    @Test
    void refusesToStartWithoutLibjpegTurboUnlessTheSettingChoosesImageio() throws Exception {
        EngineSettings strict = TestEngineSettings.with(false, "libjpeg-turbo");
        EngineSettings fallback = TestEngineSettings.with(false, "imageio");
        float[] buffer = new float[CLIP.floatsPerImage()];

        if (TurboJpegLibrary.available()) {
            assertThat(preparer(strict).prepare(submission(PHOTO), CLIP, buffer, new AtomicInteger()).decoder())
                    .isEqualTo(JpegDecoder.LIBJPEG_TURBO);
        } else {
            assertThatThrownBy(() -> preparer(strict)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("apt-get install libturbojpeg0")
                    .hasMessageContaining("aidetect.embedder.jpeg-decoder=imageio");
        }
        assertThat(preparer(fallback).prepare(submission(PHOTO), CLIP, buffer, new AtomicInteger()).decoder())
                .as("the fallback works on every machine and is recorded").isEqualTo(JpegDecoder.IMAGEIO);
        assertThatThrownBy(() -> preparer(TestEngineSettings.with(false, "pil")))
                .hasMessageContaining("unknown JPEG decoder 'pil': use one of libjpeg-turbo, imageio");
    }

    private static ImagePreparer preparer(boolean draftDecode) {
        return preparer(TestEngineSettings.with(draftDecode, "auto"));
    }

    private static ImagePreparer preparer(EngineSettings settings) {
        return new ImagePreparer(settings, UriFetcher.NONE, EmbeddingListener.NONE);
    }

    private static ImageSubmitted submission(byte[] jpeg) {
        return TestSubmissions.inline("photo-1", jpeg);
    }
}
