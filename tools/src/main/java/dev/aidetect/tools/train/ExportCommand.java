package dev.aidetect.tools.train;

import picocli.CommandLine.Command;

@Command(name = "export", mixinStandardHelpOptions = true, description = "Export pipeline data to files.", subcommands = {
        ExportEmbeddingsCommand.class})
public final class ExportCommand {
}
