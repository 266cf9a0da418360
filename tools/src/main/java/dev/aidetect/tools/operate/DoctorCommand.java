package dev.aidetect.tools.operate;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.aidetect.tools.cli.ExitCodes;
import dev.aidetect.tools.cli.OwnBrokerOrClusterOption;
import dev.aidetect.tools.doctor.Doctor;
import dev.aidetect.tools.doctor.StandardChecks;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "doctor", mixinStandardHelpOptions = true, description = "Check this machine for what aidetect needs: "
        + "the JDK, each native library and where it was loaded from, the Python reference (optional), the "
        + "packaged services, free ports, and a Kafka cluster if one is configured. One line per check; exit code "
        + "1 if a required check fails.")
public final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OwnBrokerOrClusterOption kafka;

    @Override
    public Integer call() {
        Doctor.Summary summary = Doctor.run(StandardChecks.all(Path.of(""), kafka.givenOrNull()),
                spec.commandLine().getOut());
        return summary.healthy() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
