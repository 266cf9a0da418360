package dev.aidetect.tools.train;

import picocli.CommandLine.Command;

@Command(name = "train", mixinStandardHelpOptions = true, description = "Train the pipeline's models.", subcommands = {
        TrainHeadsCommand.class, TrainAttributionCommand.class, TrainDetectorCommand.class,
        TrainDetectorEnsembleCommand.class, TrainImportDetectorCommand.class, TrainUfdProbeCommand.class})
public final class TrainCommand {
}
