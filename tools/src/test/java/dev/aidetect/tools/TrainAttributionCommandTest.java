package dev.aidetect.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class TrainAttributionCommandTest {

    @Test
    void resumingNeedsTheCheckpointFolder() {
        Run run = run("train", "attribution", "--images", "somewhere", "--resume");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--resume needs --checkpoints");
    }

    @Test
    void importingNeedsTheModulesClassesAndFamily() {
        Run run = run("train", "attribution", "--import", "model.pt", "--classes", "a,b");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--import needs --classes").contains("--family");
    }

    @Test
    void unknownAugmentationIsRefusedWithTheChoices() {
        Run run = run("train", "attribution", "--images", "x", "--augment", "jpeg,noise");

        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("use jpeg or blur");
    }

    @Test
    void evalAttributionNamesTheHeldOutChoices() {
        Run run = run("eval", "attribution", "--hold-out", "stylegan", "--photos", "missing");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("tconv-a");
    }

    private record Run(int exit, String err) {
    }

    private static Run run(String... args) {
        CommandLine cli = AidetectCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, err.toString());
    }
}
