package dev.aidetect.tools;

import dev.aidetect.tools.bench.BenchCommand;
import dev.aidetect.tools.bench.SoakCommand;
import dev.aidetect.tools.chaos.ChaosCommand;
import dev.aidetect.tools.cli.ExitCodes;
import dev.aidetect.tools.eval.EvalCommand;
import dev.aidetect.tools.models.ModelsCommand;
import dev.aidetect.tools.operate.DemoCommand;
import dev.aidetect.tools.operate.DoctorCommand;
import dev.aidetect.tools.operate.RedriveCommand;
import dev.aidetect.tools.operate.ReplayCommand;
import dev.aidetect.tools.operate.SubmitCommand;
import dev.aidetect.tools.operate.UpCommand;
import dev.aidetect.tools.samples.SamplesCommand;
import dev.aidetect.tools.train.ExportCommand;
import dev.aidetect.tools.train.TrainCommand;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code aidetect}: the command line of the AI-generated image detector. */
@Command(name = "aidetect", mixinStandardHelpOptions = true, version = "aidetect 0.1.0", description = "Streaming detector of AI-generated images: up (a local stack that stays up), submit, replay, redrive (dead letters back), demo, "
        + "sample data, training, models for a deployment, evaluation, benchmarks, a soak run, chaos (kill parts while images flow), and doctor (what this machine has). Exit code 2 for a usage "
        + "error, 1 for a failure.", subcommands = {UpCommand.class, SubmitCommand.class, ReplayCommand.class,
                RedriveCommand.class,
                DemoCommand.class, SamplesCommand.class, TrainCommand.class, EvalCommand.class,
                BenchCommand.class, ChaosCommand.class, SoakCommand.class, ExportCommand.class, ModelsCommand.class,
                DoctorCommand.class})
public final class AidetectCli {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    @Option(names = ExitCodes.VERBOSE, scope = ScopeType.INHERIT, description = "On a failure, print its stack "
            + "trace, and let libraries log at INFO.")
    boolean verbose;

    static CommandLine commandLine() {
        return ExitCodes.install(new CommandLine(new AidetectCli()));
    }
}
