package dev.aidetect.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UriRedactionTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ' ', value = {
            "https://images.example/a/b.jpg https://images.example/a/b.jpg",
            "https://user:secret@images.example/b.jpg https://***@images.example/b.jpg",
            "https://images.example/b.jpg?X-Amz-Signature=abc&X-Amz-Credential=k https://images.example/b.jpg?***",
            "https://u:p@images.example:8443/b.jpg?token=t#frag https://***@images.example:8443/b.jpg?***",
            "https://images.example?token=t https://images.example?***",
            "https://a@b@images.example/p@q.jpg https://***@images.example/p@q.jpg",
            "file:///srv/images/b.jpg file:///srv/images/b.jpg",
            "not%a%uri?secret=1 not%a%uri?***"})
    void showsNeitherCredentialsNorQueryNorFragment(String uri, String shown) {
        assertThat(UriRedaction.redact(uri)).isEqualTo(shown);
    }
}
