package dev.aidetect.tools.eval;

import picocli.CommandLine.Command;

@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate models on labelled data.", subcommands = {
        EvalAttributionCommand.class, EvalFamilyCommand.class})
public final class EvalCommand {
}
