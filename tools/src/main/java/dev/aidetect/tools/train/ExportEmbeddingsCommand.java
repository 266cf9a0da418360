package dev.aidetect.tools.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;

import dev.aidetect.schemas.Topics;
import dev.aidetect.tools.cli.KafkaClusterOption;
import dev.aidetect.tools.cli.Progress;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "embeddings", mixinStandardHelpOptions = true, description = "Copy a topic of ImageEmbedding "
        + "records, from its earliest offset to its current end, into an Avro container file that "
        + "`train heads --embeddings` reads.")
public final class ExportEmbeddingsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--topic", defaultValue = "images.embedded", description = "Topic to export (default ${DEFAULT-VALUE}).")
    String topic;

    @Mixin
    KafkaClusterOption kafka;

    @Option(names = "--out", required = true, description = "Avro file to write (replaced).")
    Path out;

    @Override
    public Integer call() throws IOException {
        int undecodable;
        int written;
        // Written beside it and moved into place once complete: a failed export leaves the last one as it was.
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        try (EmbeddingFiles.Writer writer = EmbeddingFiles.write(partial)) {
            undecodable = new TopicReplay<>(kafka.reachable(), topic, Topics.EMBEDDED).replay(writer,
                    total -> Progress.counter("exporting", total, spec.commandLine().getErr()));
            written = writer.count();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        spec.commandLine().getOut().printf("exported %d ImageEmbedding records from %s to %s%s%n", written, topic, out,
                undecodable == 0 ? "" : " (" + undecodable + " records that are not ImageEmbedding left out)");
        return 0;
    }
}
