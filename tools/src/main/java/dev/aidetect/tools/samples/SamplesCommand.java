package dev.aidetect.tools.samples;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

import dev.aidetect.tools.cli.Progress;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "samples", mixinStandardHelpOptions = true, description = "Write a labelled synthetic data set (real/, fake/<family>/<generator>/, broken/).")
public final class SamplesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

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

    @Option(names = "--bad-inputs", description = "Write the bad-input corpus instead (broken, hostile and "
            + "unusual files, each with the ending the pipeline must give it, in manifest.tsv), for trying a deployment "
            + "with ./aidetect submit.")
    boolean badInputs;

    @Override
    public Integer call() throws java.io.IOException {
        if (badInputs) {
            int written = BadInputCorpus.write(out).size();
            spec.commandLine().getOut().printf("wrote %d bad inputs under %s; %s says how each must end%n", written,
                    out,
                    out.resolve("manifest.tsv"));
            return 0;
        }
        SampleSetWriter.Summary summary;
        try {
            summary = SampleSetWriter.write(out, Arrays.asList(SyntheticGenerator.values()), perSource, size, seed,
                    !noBroken, Progress.counter("writing images", perSource * SyntheticGenerator.values().length,
                            spec.commandLine().getErr()));
        } catch (IllegalArgumentException e) {
            // The writer checks --size before it writes anything: a wrong option value, so a usage error.
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        spec.commandLine().getOut().printf("wrote %d images and %d broken files under %s%n", summary.images(),
                summary.broken(), out);
        return 0;
    }
}
