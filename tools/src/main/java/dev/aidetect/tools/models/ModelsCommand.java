package dev.aidetect.tools.models;

import picocli.CommandLine.Command;

@Command(name = "models", mixinStandardHelpOptions = true, description = "Prepare the models a deployment serves.", subcommands = {
        ModelsInitCommand.class})
public final class ModelsCommand {
}
