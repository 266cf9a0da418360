package dev.aidetect.tools;

import picocli.CommandLine.Command;

@Command(name = "train", mixinStandardHelpOptions = true, description = "Train the pipeline's models.", subcommands = {
        TrainHeadsCommand.class, TrainAttributionCommand.class, TrainUfdProbeCommand.class})
final class TrainCommand {
}
