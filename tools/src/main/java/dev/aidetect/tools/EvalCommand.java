package dev.aidetect.tools;

import picocli.CommandLine.Command;

@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate models on labelled data.", subcommands = {
        EvalAttributionCommand.class, EvalFamilyCommand.class})
final class EvalCommand {
}
