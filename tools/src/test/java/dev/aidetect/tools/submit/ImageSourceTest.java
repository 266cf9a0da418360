package dev.aidetect.tools.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.aidetect.tools.dataset.LabelledImage;

/** A submission is a file or a URI; a URI's image id starts with its file name, as a file's does. */
class ImageSourceTest {
    @Test
    void aUriIsNamedByTheLastSegmentOfItsPath() {
        ImageSource source = ImageSource.uri("https://images.example.com/uploads/2026/cat.jpg?size=full");

        assertThat(source.isUri()).isTrue();
        assertThat(source.name()).isEqualTo("cat.jpg");
        assertThat(source.label()).isNull();
        assertThat(source.uri()).isEqualTo("https://images.example.com/uploads/2026/cat.jpg?size=full");
        assertThat(source.toString()).as("what messages print: no query string")
                .isEqualTo("https://images.example.com/uploads/2026/cat.jpg?***");
    }

    @Test
    void aFileKeepsItsLabel() {
        ImageSource source = ImageSource.file(new LabelledImage(Path.of("set/real/a.png"), null));

        assertThat(source.isUri()).isFalse();
        assertThat(source.name()).isEqualTo("a.png");
    }

    @Test
    void aRelativeOrPathlessUriIsRefusedWithAnExample() {
        assertThatThrownBy(() -> ImageSource.uri("cat.jpg")).hasMessageContaining("not an absolute URI")
                .hasMessageContaining("https://");
        assertThatThrownBy(() -> ImageSource.uri("https://host")).hasMessageContaining("not an absolute URI");
        assertThatThrownBy(() -> ImageSource.uri("https://host/a b.jpg")).hasMessageContaining("not a URI");
    }
}
