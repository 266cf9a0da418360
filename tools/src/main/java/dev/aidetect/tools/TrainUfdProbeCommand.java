package dev.aidetect.tools;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.aidetect.heads.UfdProbe;
import dev.aidetect.heads.VectorHead;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ufd-probe", mixinStandardHelpOptions = true, description = "Import the UniversalFakeDetect "
        + "linear probe (fc_weights.pth) as a detection head for raw OpenAI CLIP ViT-L/14 features.")
final class TrainUfdProbeCommand implements Callable<Integer> {
    @Option(names = "--pth", defaultValue = "../shared/models/ufd-linear-probe/fc_weights.pth", description = ""
            + "The published checkpoint (default ${DEFAULT-VALUE}).")
    Path pth;

    @Option(names = "--out", defaultValue = "models/ufd-probe.head", description = "Head artifact to write "
            + "(default ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws IOException {
        VectorHead head = UfdProbe.save(UfdProbe.fromPth(pth), out);
        System.out.printf("  %s version %s for %s vectors of size %d -> %s%n", head.id(), head.version(),
                head.metadata().encoder().id(), head.metadata().encoder().embeddingSize(), out);
        return 0;
    }
}
