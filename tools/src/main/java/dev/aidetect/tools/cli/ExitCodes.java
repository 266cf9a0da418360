package dev.aidetect.tools.cli;

import java.io.PrintWriter;
import java.util.List;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * How the command line ends when something goes wrong, as tools do: exit 2 and one line naming the option for a usage
 * error, exit 1 and one line saying what was wrong and what to do for a failure, and the stack trace only with
 * {@code --verbose}.
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    /** The option, inherited by every subcommand, that turns a failure's one line into its stack trace. */
    public static final String VERBOSE = "--verbose";

    private ExitCodes() {
    }

    /** Installs the usage and failure handlers on {@code cli} and its subcommands. */
    public static CommandLine install(CommandLine cli) {
        cli.setParameterExceptionHandler(ExitCodes::usage);
        cli.setExecutionExceptionHandler((e, command, parsed) -> failure(e, command, parsed));
        cli.setExecutionStrategy(parsed -> {
            if (verbose(parsed)) {
                // Libraries' own warnings (Kafka's reconnects, DJL's engine) are noise unless one asks.
                Configurator.setLevel("org.apache.kafka", Level.INFO);
                Configurator.setRootLevel(Level.INFO);
            }
            try {
                return new CommandLine.RunLast().execute(parsed);
            } catch (LinkageError e) {
                // A native library or class that failed to initialise is an Error, which picocli lets through as a
                // raw stack trace: hand it to the failure handler like any other failure.
                List<CommandLine> commands = parsed.asCommandLineList();
                throw new CommandLine.ExecutionException(commands.get(commands.size() - 1), "", e);
            }
        });
        return cli;
    }

    private static int usage(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName();
        err.println(name + ": " + e.getMessage() + " (" + name + " --help lists the options)");
        return USAGE;
    }

    private static int failure(Exception e, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName();
        if (verbose(parsed)) {
            e.printStackTrace(err);
            err.println(name + ": " + FailureLine.of(e));
        } else if (FailureLine.explained(e)) {
            err.println(name + ": " + FailureLine.of(e));
        } else {
            err.println(name + ": " + FailureLine.of(e) + " (" + VERBOSE + " shows where)");
        }
        err.flush();
        return FAILURE;
    }

    /** Whether {@code --verbose} was given to the command or any command above it. */
    static boolean verbose(ParseResult parsed) {
        for (ParseResult level = parsed; level != null; level = level.subcommand()) {
            if (level.hasMatchedOption(VERBOSE)) {
                return true;
            }
        }
        return false;
    }
}
