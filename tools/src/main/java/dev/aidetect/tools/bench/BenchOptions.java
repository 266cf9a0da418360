package dev.aidetect.tools.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.aidetect.imaging.encoder.EncoderDevice;
import dev.aidetect.imaging.encoder.EncoderPrecision;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The precision, device and peak-FLOP options of {@code bench embed}, and the arithmetic behind them. */
final class BenchOptions {
    /** The python peer on the float32 file, run beside a half-precision python peer so the table shows both. */
    static final String PYTHON_FLOAT32 = "python-f32";
    /** Forward-pass GFLOP per 224 px image (2 x multiply-adds) of the benchmark's encoders. */
    static final Map<String, Double> GFLOP_PER_IMAGE = Map.of("vit-l-14", 162.0, "vit-b-32", 8.8);

    private BenchOptions() {
    }

    /** {@code modes}, plus the float32 python peer after python when the precision is a half one. */
    static List<String> withFloat32Peer(List<String> modes, EncoderPrecision precision) {
        List<String> run = new ArrayList<>(modes);
        if (precision != EncoderPrecision.FLOAT32 && run.contains("python") && !run.contains(PYTHON_FLOAT32)) {
            run.add(run.indexOf("python") + 1, PYTHON_FLOAT32);
        }
        return run;
    }

    /** The share of {@code peakTflops} that {@code imagesPerSecond} images of {@code gflopPerImage} each make. */
    static double fractionOfPeak(double imagesPerSecond, double gflopPerImage, double peakTflops) {
        return imagesPerSecond * gflopPerImage / 1000 / peakTflops;
    }

    static final class PrecisionConverter implements ITypeConverter<EncoderPrecision> {
        @Override
        public EncoderPrecision convert(String value) {
            try {
                return EncoderPrecision.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class DeviceConverter implements ITypeConverter<EncoderDevice> {
        @Override
        public EncoderDevice convert(String value) {
            try {
                return EncoderDevice.valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("unknown device '" + value + "': use auto, cpu or gpu");
            }
        }
    }
}
