package dev.aidetect.tools.bench;

import picocli.CommandLine.Command;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (not tests): they run for "
        + "minutes and print figures.", subcommands = {EmbedBenchCommand.class,
                PipelineBenchCommand.class})
public final class BenchCommand {
}
