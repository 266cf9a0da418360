package dev.aidetect.tools.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import dev.aidetect.kafka.KafkaEndpoint;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.Topics;

/**
 * Replaying a topic on a real broker: every record up to the end it had at the start, in order within each partition,
 * records of another type counted and left out, and the progress told the total first.
 */
class TopicReplayIT {
    @Test
    void handsOverEveryRecordInPartitionOrderAndCountsTheOnesOfAnotherType() throws Exception {
        // given: one partition, so one order
        String topic = "replay-" + UUID.randomUUID();
        KafkaEndpoint.createTopic(topic, 1);
        List<ProducerRecord<String, byte[]>> sends = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ImageEmbedding record = Embeddings.record("img-" + i, "clip", new float[]{i}, Embeddings.real());
            sends.add(new ProducerRecord<>(topic, record.getImageId(),
                    Topics.EMBEDDED.valueSerde().serializer().serialize(topic, record)));
            if (i == 2) {
                sends.add(new ProducerRecord<>(topic, "csv", "img,1.0\n".getBytes()));
                sends.add(new ProducerRecord<>(topic, "empty", new byte[0]));
            }
        }
        KafkaEndpoint.produce(sends);
        List<String> seen = new ArrayList<>();
        List<Integer> totals = new ArrayList<>();
        List<Integer> counted = new ArrayList<>();

        // when
        int undecodable = new TopicReplay<>(KafkaEndpoint.bootstrapServers(), topic, Topics.EMBEDDED)
                .replay(e -> seen.add(e.getImageId()), total -> {
                    totals.add(total);
                    return counted::add;
                });

        // then
        assertThat(seen).containsExactly("img-0", "img-1", "img-2", "img-3", "img-4");
        assertThat(undecodable).isEqualTo(2);
        assertThat(totals).containsExactly(7);
        assertThat(counted.getLast()).isEqualTo(7);
    }
}
