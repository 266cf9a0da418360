package dev.aidetect.tools.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.aidetect.heads.UfdProbe;
import dev.aidetect.heads.VectorHead;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "ufd-probe", mixinStandardHelpOptions = true, description = "Import the UniversalFakeDetect "
        + "linear probe (fc_weights.pth) as a detection head for raw OpenAI CLIP ViT-L/14 features.")
public final class TrainUfdProbeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--pth", required = true, description = "The published checkpoint, fc_weights.pth of "
            + "UniversalFakeDetect (e.g. ../shared/models/ufd-linear-probe/fc_weights.pth).")
    Path pth;

    @Option(names = "--out", defaultValue = "models/ufd-probe.head", description = "Head artifact to write "
            + "(default ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws IOException {
        VectorHead head = UfdProbe.save(UfdProbe.fromPth(pth), out);
        spec.commandLine().getOut().printf("  %s version %s for %s vectors of size %d -> %s%n", head.id(),
                head.version(),
                head.metadata().encoder().id(), head.metadata().encoder().embeddingSize(), out);
        return 0;
    }
}
