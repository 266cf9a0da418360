package dev.aidetect.tools;

import dev.aidetect.tools.bench.EmbedBenchCommand;

import picocli.CommandLine.Command;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (not tests): they run for "
        + "minutes and print figures.", subcommands = {EmbedBenchCommand.class})
final class BenchCommand {
}
