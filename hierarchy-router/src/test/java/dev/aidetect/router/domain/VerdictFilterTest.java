package dev.aidetect.router.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The query parameters of {@code GET /verdicts/stream}: all given ones must match, any of a repeated one's values. */
class VerdictFilterTest {
    private static final VerdictView FAKE = view("phone-app", "FAKE", "sd-1.4", Map.of("run", "r1"));
    private static final VerdictView REAL = view("web", "REAL", null, Map.of());

    @Test
    void noParameterMatchesEverything() {
        VerdictFilter filter = VerdictFilter.of(null, List.of(), null, List.of(""));

        assertThat(filter.test(FAKE)).isTrue();
        assertThat(filter.test(REAL)).isTrue();
    }

    @Test
    void everyGivenParameterMustMatchAndAnyOfARepeatedOnesValues() {
        VerdictFilter filter = VerdictFilter.of(List.of("phone-app", "web"), List.of("r1"), List.of("fake", "REAL"),
                List.of("sd-1.4"));

        assertThat(filter.test(FAKE)).isTrue();
        assertThat(filter.test(REAL)).as("no run, no generator").isFalse();
        assertThat(VerdictFilter.of(List.of("web"), null, null, null).test(FAKE)).isFalse();
    }

    @Test
    void refusesAnAuthenticityThatDoesNotExistNamingThoseThatDo() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> VerdictFilter.of(null, null, List.of("maybe"), null))
                .withMessageContaining("'MAYBE'").withMessageContaining("UNCERTAIN");
    }

    private static VerdictView view(String source, String authenticity, String generator,
            Map<String, String> attributes) {
        return new VerdictView("img", "DECIDED", authenticity, 0.9, null, generator, List.of(), null, null, null, null,
                1L, source, attributes, null);
    }
}
