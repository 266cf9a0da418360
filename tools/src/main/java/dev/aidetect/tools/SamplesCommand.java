package dev.aidetect.tools;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

import dev.aidetect.tools.samples.SampleSetWriter;
import dev.aidetect.tools.samples.SyntheticGenerator;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "samples", mixinStandardHelpOptions = true, description = "Write a labelled synthetic data set (real/, fake/<family>/<generator>/, broken/).")
final class SamplesCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "Output folder.")
    Path out;

    @Option(names = "--per-source", defaultValue = "20", description = "Images per source (default ${DEFAULT-VALUE}).")
    int perSource;

    @Option(names = "--size", defaultValue = "224", description = "Image side in pixels (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-broken", description = "Leave out the broken files.")
    boolean noBroken;

    @Override
    public Integer call() {
        var summary = SampleSetWriter.write(out, Arrays.asList(SyntheticGenerator.values()), perSource, size, seed,
                !noBroken, Progress.counter("writing images", perSource * SyntheticGenerator.values().length));
        System.out.printf("wrote %d images and %d broken files under %s%n", summary.images(), summary.broken(), out);
        return 0;
    }
}
