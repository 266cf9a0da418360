package dev.aidetect.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class PrerequisitesTest {

    @Test
    void letsTheTestRunWhenThePrerequisiteIsPresent() {
        assertThatCode(() -> Prerequisites.require(true, "libfoo", "apt-get install libfoo"))
                .doesNotThrowAnyException();
    }

    @Test
    void abortsWithWhatIsMissingAndHowToGetItWhenAbsent() {
        assertThatThrownBy(() -> Prerequisites.require(false, "libfoo", "apt-get install libfoo"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessage("Assumption failed: libfoo is missing: apt-get install libfoo");
    }
}
