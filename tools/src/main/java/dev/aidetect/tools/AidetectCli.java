package dev.aidetect.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code aidetect}: the command line of the AI-generated image detector. */
@Command(name = "aidetect", mixinStandardHelpOptions = true, version = "aidetect 0.1.0", description = "Streaming detector of AI-generated images: demo, submit, sample data, training.", subcommands = {
        DemoCommand.class, SubmitCommand.class, SamplesCommand.class, TrainCommand.class, EvalCommand.class,
        BenchCommand.class, ExportCommand.class})
public final class AidetectCli {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new AidetectCli());
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("aidetect: " + e.getMessage());
            return 2;
        });
        return cli;
    }
}
