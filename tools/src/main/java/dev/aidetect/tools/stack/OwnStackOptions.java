package dev.aidetect.tools.stack;

import java.nio.file.Path;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options of a command that starts its own broker and packaged services to measure them (bench pipeline, soak,
 * chaos): one definition, so each means the same everywhere. Use as a picocli {@code @Mixin}; the work folder and the
 * stage timeout stay with each command, whose defaults differ.
 */
public final class OwnStackOptions {
    @Option(names = "--partitions", defaultValue = "3", description = "Partitions per pipeline topic of the pipeline "
            + "it starts (default ${DEFAULT-VALUE}).")
    private int partitions;

    @Option(names = "--kafka-port", description = "Port of the broker it starts (default: a free port; a port given "
            + "here must be free, and the next one for its controller).")
    private Integer kafkaPort;

    @Option(names = "--models-from", defaultValue = ".aidetect/demo", description = "Work folder of the demo whose "
            + "models the pipeline uses (trained there on first use, as ./aidetect demo does; default "
            + "${DEFAULT-VALUE}).")
    private Path modelsFrom;

    public int partitions() {
        return partitions;
    }

    /** The broker's port, 0 for a free one. */
    public int kafkaPort() {
        return kafkaPort == null ? 0 : kafkaPort;
    }

    public Path modelsFrom() {
        return modelsFrom;
    }

    /**
     * Refuses what picocli cannot: no partitions, or a given broker port (or its controller's, the next) in use.
     *
     * @param startsBroker whether this run starts a broker (a soak against a running stack does not)
     */
    public void validate(CommandSpec spec, boolean startsBroker) {
        if (partitions < 1) {
            throw new ParameterException(spec.commandLine(), "--partitions must be at least 1, got " + partitions);
        }
        if (startsBroker && kafkaPort != null) {
            Port.requireFree(kafkaPort, "--kafka-port");
            Port.requireFree(kafkaPort + 1, "--kafka-port (the broker's controller listens on the next port)");
        }
    }
}
