package dev.aidetect.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.aidetect.imaging.encoder.EncoderDevice;
import dev.aidetect.imaging.encoder.EncoderPrecision;

import picocli.CommandLine;

class BenchOptionsTest {

    @Test
    void parsesPrecisionDeviceAndPeakAndDefaultsToFloat32OnAuto() {
        EmbedBenchCommand given = new EmbedBenchCommand();
        new CommandLine(given).parseArgs("--precision", "bfloat16", "--device", "gpu", "--peak-tflops", "989.5");
        EmbedBenchCommand defaults = new EmbedBenchCommand();
        new CommandLine(defaults).parseArgs();

        assertThat(given.precision).isEqualTo(EncoderPrecision.BFLOAT16);
        assertThat(given.device).isEqualTo(EncoderDevice.GPU);
        assertThat(given.peakTflops).isEqualTo(989.5);
        assertThat(defaults.precision).isEqualTo(EncoderPrecision.FLOAT32);
        assertThat(defaults.device).isEqualTo(EncoderDevice.AUTO);
        assertThat(defaults.peakTflops).isNull();
    }

    @Test
    void refusesAnUnknownPrecisionWithTheNamesItTakes() {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new EmbedBenchCommand()).setErr(new PrintWriter(err))
                .execute("--precision", "fp8");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("unknown precision 'fp8': use float32, float16 or bfloat16");
    }

    @Test
    void runsTheFloat32PythonPeerBesideAHalfPrecisionOne() {
        assertThat(BenchOptions.withFloat32Peer(List.of("ceiling", "python", "kafka"), EncoderPrecision.BFLOAT16))
                .containsExactly("ceiling", "python", "python-f32", "kafka");
        assertThat(BenchOptions.withFloat32Peer(List.of("ceiling", "python"), EncoderPrecision.FLOAT32))
                .containsExactly("ceiling", "python");
        assertThat(BenchOptions.withFloat32Peer(List.of("ceiling"), EncoderPrecision.BFLOAT16))
                .containsExactly("ceiling");
    }

    @Test
    void reportsTheShareOfThePeakAt162GflopPerVitL14Image() {
        // 1000 ViT-L/14 images/s are 162 TFLOP/s: a fifth of an 810 TFLOP/s peak
        assertThat(BenchOptions.fractionOfPeak(1000, 162, 810)).isCloseTo(0.2, offset(1e-12));
        BenchReport report = new BenchReport();
        report.add("vit-l-14", "python", new ModeResult("python", 2000, 2, new double[]{1000, 2000}, 0));
        report.add("tiny", "python", new ModeResult("python", 10, 1, new double[]{1000}, 0));
        StringWriter out = new StringWriter();

        report.print(new PrintWriter(out), 4, "2 threads", 810.0);

        assertThat(out.toString())
                .contains(
                        "vit-l-14 python: 1000.00 img/s x 162.0 GFLOP = 162.00 TFLOP/s, 20.0% of the 810 TFLOP/s peak")
                .doesNotContain("tiny python: ");
        String[] lines = out.toString().split("\n");
        assertThat(lines[lines.length - 1]).startsWith("embed: ceiling n/a img/s");
    }
}
