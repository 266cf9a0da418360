package dev.aidetect.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.tools.models.ModelsInitCommand;
import dev.aidetect.tools.train.DemoModels;

/**
 * {@code aidetect models init}, the compose stack's one-shot models service: trained models handed in are copied into
 * the volume as they are; a half-complete set is refused with what is missing, before anything is replaced. (Training
 * the demo's models is what {@code ./aidetect demo} and the end-to-end tests run.)
 */
class ModelsInitCommandTest {
    @TempDir
    Path dir;

    @Test
    void copiesEveryTrainedModelIntoTheVolumeAndDropsWhatWasThereBefore() throws IOException {
        Path from = trainedModels(dir.resolve("trained"));
        Path volume = Files.createDirectories(dir.resolve("volume"));
        Files.writeString(volume.resolve(DemoModels.STAMP_FILE), "demo models of an earlier start");

        CliRun run = CliRun.of("models", "init", "--from", from.toString(), "--to", volume.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("models: copied detection.head, family.head, attribution-gan, "
                + "attribution-diffusion from " + from + " to " + volume);
        assertThat(volume.resolve("detection.head")).hasContent("detection");
        assertThat(volume.resolve("attribution-gan/metadata.json")).hasContent("gan network");
        assertThat(volume.resolve(DemoModels.STAMP_FILE)).doesNotExist();
        assertThat(volume.resolve(ModelsInitCommand.READY_FILE)).content().contains("copied from " + from);
    }

    @Test
    void refusesAnIncompleteSetSayingWhatIsMissingAndLeavesTheVolumeAlone() throws IOException {
        Path from = trainedModels(dir.resolve("trained"));
        Files.delete(from.resolve("family.head"));
        Path volume = Files.createDirectories(dir.resolve("volume"));
        Files.writeString(volume.resolve("detection.head"), "serving");

        CliRun run = CliRun.of("models", "init", "--from", from.toString(), "--to", volume.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains(from + " holds [detection.head, attribution-gan, attribution-diffusion] "
                + "but lacks [family.head]");
        assertThat(volume.resolve("detection.head")).hasContent("serving");
        assertThat(volume.resolve(ModelsInitCommand.READY_FILE)).doesNotExist();
    }

    @Test
    void withNoTrainedModelsAndNoEncoderSaysWhichEncoderToGive() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("none"));

        CliRun run = CliRun.of("models", "init", "--from", empty.toString(), "--to", dir.resolve("volume").toString(),
                "--encoder", dir.resolve("no-encoder/manifest.json").toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("encoder manifest " + dir.resolve("no-encoder/manifest.json")
                + " does not exist: give the embedder's encoder with --encoder");
        assertThat(dir.resolve("volume")).doesNotExist();
    }

    private static Path trainedModels(Path from) throws IOException {
        Files.createDirectories(from);
        for (String name : ModelsInitCommand.classifierModels()) {
            if (name.endsWith(".head")) {
                Files.writeString(from.resolve(name), name.substring(0, name.indexOf('.')));
            } else {
                Path network = Files.createDirectories(from.resolve(name));
                Files.writeString(network.resolve("metadata.json"), name.substring(name.indexOf('-') + 1) + " network");
            }
        }
        return from;
    }
}
