package dev.aidetect.tools.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;

class DoctorTest {
    @Test
    void printsOneLinePerCheckAndIsUnhealthyOnlyWhenARequiredOneFails() {
        StringWriter out = new StringWriter();

        Doctor.Summary summary = Doctor.run(List.of(new Check("jdk", true, () -> Finding.ok("25")),
                new Check("python", false, () -> Finding.fail("no torch: apt-get install python3-torch")),
                new Check("kafka", true, () -> Finding.skip("none configured"))), new PrintWriter(out));

        assertThat(summary.healthy()).isTrue();
        assertThat(out.toString().lines()).containsExactly("ok    jdk           25",
                "warn  python        no torch: apt-get install python3-torch",
                "skip  kafka         none configured", "3 checks: 1 ok, 1 warning(s), 0 failed, 1 skipped");
    }

    @Test
    void aRequiredCheckThatThrowsFailsWithTheExceptionsLine() {
        StringWriter out = new StringWriter();

        Doctor.Summary summary = Doctor.run(List.of(new Check("openblas", true, () -> {
            throw new ExceptionInInitializerError(new IllegalStateException("cannot open libopenblas.so"));
        })), new PrintWriter(out));

        assertThat(summary.healthy()).isFalse();
        assertThat(out.toString().lines().findFirst()).hasValueSatisfying(
                line -> assertThat(line).startsWith("fail  openblas").contains("cannot open libopenblas.so"));
    }
}
