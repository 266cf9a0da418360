package dev.aidetect.tools;

import picocli.CommandLine.Command;

@Command(name = "export", mixinStandardHelpOptions = true, description = "Export pipeline data to files.", subcommands = {
        ExportEmbeddingsCommand.class})
final class ExportCommand {
}
