package dev.aidetect.tools.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The image ids {@code aidetect submit} gives: readable in the report, safe as a Kafka key, new on every submit. */
class SubmitterTest {
    @Test
    void imageIdIsTheFileStemAndAnEightDigitHexSuffix() {
        String id = Submitter.newImageId("upconv-gan-0003");

        assertThat(id).matches("upconv-gan-0003-[0-9a-f]{8}");
    }

    @Test
    void charactersOutsideLettersDigitsDotDashAndUnderscoreBecomeUnderscores() {
        String id = Submitter.newImageId("my holiday/photo (1)ü");

        assertThat(id).matches("my_holiday_photo__1__-[0-9a-f]{8}");
    }

    @Test
    void resubmittingTheSameFileGivesANewId() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(Submitter.newImageId("same"));
        }

        assertThat(ids).hasSize(1000);
    }
}
