package dev.aidetect.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The submissions every uploader of the project builds ({@code aidetect submit}, the router's {@code POST /images}):
 * ids readable in a report, safe as a Kafka key and new on every submit; the image inline or by URI; the attributes.
 */
class ImageSubmissionsTest {
    private static final Instant NOW = Instant.parse("2026-12-03T06:00:00Z");

    @Test
    void imageIdIsTheStemAndAnEightDigitHexSuffix() {
        String id = ImageSubmissions.newImageId("upconv-gan-0003");

        assertThat(id).matches("upconv-gan-0003-[0-9a-f]{8}");
    }

    @Test
    void charactersOutsideLettersDigitsDotDashAndUnderscoreBecomeUnderscores() {
        String id = ImageSubmissions.newImageId("my holiday/photo (1)ü");

        assertThat(id).matches("my_holiday_photo__1__-[0-9a-f]{8}");
    }

    @Test
    void resubmittingTheSameFileGivesANewId() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(ImageSubmissions.newImageId("same"));
        }

        assertThat(ids).hasSize(1000);
    }

    @Test
    void anInlineImageCarriesItsBytesItsFileNameAndTheCallersAttributes() {
        ImageLabel label = new ImageLabel(Authenticity.FAKE, "gan", "upconv-gan", "demo");

        ImageSubmitted record = ImageSubmissions.inline("cat.photo.jpg", new byte[]{1, 2, 3}, "cli", label,
                Map.of(ImageSubmissions.RUN, "r1"), NOW);

        assertThat(record.getImageId()).matches("cat\\.photo-[0-9a-f]{8}");
        assertThat(record.getImage().getContent()).isEqualTo(ByteBuffer.wrap(new byte[]{1, 2, 3}));
        assertThat(record.getImage().getUri()).isNull();
        assertThat(record.getAttributes()).containsExactlyInAnyOrderEntriesOf(Map.of("file", "cat.photo.jpg", "run",
                "r1"));
        assertThat(record.getSource()).isEqualTo("cli");
        assertThat(record.getLabel()).isEqualTo(label);
        assertThat(record.getSubmittedAt()).isEqualTo(NOW);
    }

    @Test
    void aUriSubmissionIsNamedByItsLastPathSegmentAndCarriesNoBytes() {
        ImageSubmitted record = ImageSubmissions.byUri("https://images.example.com/a/fox.webp?size=large", "page",
                Map.of(), NOW);

        assertThat(record.getImageId()).matches("fox-[0-9a-f]{8}");
        assertThat(record.getImage().getUri()).isEqualTo("https://images.example.com/a/fox.webp?size=large");
        assertThat(record.getImage().getContent()).isNull();
        assertThat(record.getAttributes()).isEmpty();
        assertThat(ImageSubmissions.uriName("https://images.example.com/")).isEqualTo("uri");
    }

    @Test
    void aUriThatIsNotAbsoluteIsRefusedSayingWhatOneLooksLike() {
        assertThatThrownBy(() -> ImageSubmissions.checkedUri("images/a.jpg"))
                .hasMessageContaining("is not an absolute URI of an image (such as https://");
        assertThatThrownBy(() -> ImageSubmissions.checkedUri("https://a b/c.jpg")).hasMessageContaining("is not a URI");
        assertThat(ImageSubmissions.checkedUri("  file:///data/a.jpg ")).isEqualTo("file:///data/a.jpg");
    }
}
