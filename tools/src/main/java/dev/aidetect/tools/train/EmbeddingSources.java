package dev.aidetect.tools.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.KafkaClientSettings;

/** Labelled training vectors from {@code ImageEmbedding} records: replayed from a topic, or read from an Avro file. */
public final class EmbeddingSources {
    private EmbeddingSources() {
    }

    /** Replays {@code topic} of a plaintext cluster from its earliest offset to the end offsets it has now. */
    public static LabelledEmbeddings replay(String bootstrapServers, String topic,
            IntFunction<IntConsumer> progress) {
        return replay(KafkaClientSettings.plaintext(bootstrapServers), topic, progress);
    }

    /** Replays {@code topic} from its earliest offset to the end offsets it has now. */
    public static LabelledEmbeddings replay(KafkaClientSettings cluster, String topic,
            IntFunction<IntConsumer> progress) {
        EmbeddingCollector collector = new EmbeddingCollector("topic " + topic);
        int undecodable = new TopicReplay<>(cluster, topic, Topics.EMBEDDED).replay(collector, progress);
        LabelledEmbeddings data = collector.collected();
        if (undecodable == 0) {
            return data;
        }
        List<String> skipped = new ArrayList<>(data.skipped());
        skipped.add(undecodable + " records of topic " + topic + " that are not ImageEmbedding records");
        return new LabelledEmbeddings(data.encoderId(), data.vectors(), data.labels(), List.copyOf(skipped));
    }

    /** Reads an Avro container file of {@code ImageEmbedding} records. */
    public static LabelledEmbeddings read(Path file) throws IOException {
        EmbeddingCollector collector = new EmbeddingCollector("file " + file);
        EmbeddingFiles.read(file, collector);
        return collector.collected();
    }
}
