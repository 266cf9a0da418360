package dev.aidetect.classifier;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

import dev.aidetect.schemas.EmbeddingTimings;
import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.ModelRef;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageRequest;
import dev.aidetect.schemas.kafka.AvroSerializer;

/** Builders for the classifier's input records, encoded as producers encode them. */
public final class Records {
    private static final AtomicLong OFFSETS = new AtomicLong();
    private static final AvroSerializer SERIALIZER = new AvroSerializer();

    private Records() {
    }

    public static ImageEmbedding embedding(String imageId, String encoder, float[] vector) {
        return ImageEmbedding.newBuilder()
                .setImageId(imageId)
                .setEncodedBy(new ModelRef(encoder, "1"))
                .setVector(floats(vector))
                .setWidth(96)
                .setHeight(96)
                .setTimings(new EmbeddingTimings(0L, 0L, 0L, 0L, 1))
                .setLabel(ImageLabel.newBuilder().setAuthenticity(dev.aidetect.schemas.Authenticity.FAKE).build())
                .build();
    }

    /** A submission of inline bytes, as an uploader writes it to images.ingest. */
    public static ImageSubmitted submission(String imageId, String contentType, byte[] image) {
        return ImageSubmitted.newBuilder().setImageId(imageId).setSubmittedAt(Instant.now()).setSource("it")
                .setImage(new ImageContent(contentType, ByteBuffer.wrap(image), null)).build();
    }

    public static StageRequest familyRequest(String imageId, String encoder, float[] vector) {
        return StageRequest.newBuilder()
                .setImageId(imageId)
                .setStage(Stage.FAMILY)
                .setVector(vector == null ? null : floats(vector))
                .setEncodedBy(new ModelRef(encoder, "1"))
                .setRequestedAt(Instant.now())
                .build();
    }

    public static StageRequest attributionRequest(String imageId, String family, byte[] image) {
        return StageRequest.newBuilder()
                .setImageId(imageId)
                .setStage(Stage.ATTRIBUTION)
                .setFamily(family)
                .setImage(new ImageContent("image/png", image == null ? null : ByteBuffer.wrap(image), null))
                .setRequestedAt(Instant.now())
                .build();
    }

    /** A poll of one record as the Kafka connector delivers it in batch mode: raw bytes, keyed. */
    public static Message<ConsumerRecords<String, byte[]>> consumed(String topic, String key, byte[] value) {
        return poll(record(topic, key, value));
    }

    public static Message<ConsumerRecords<String, byte[]>> consumed(String topic, String key,
            org.apache.avro.specific.SpecificRecord value) {
        return consumed(topic, key, SERIALIZER.serialize(topic, value));
    }

    /** A poll of several records, all of one partition, as the connector delivers it. */
    @SafeVarargs
    public static Message<ConsumerRecords<String, byte[]>> poll(ConsumerRecord<String, byte[]>... records) {
        TopicPartition partition = new TopicPartition(records[0].topic(), records[0].partition());
        return Message.of(new ConsumerRecords<>(Map.of(partition, List.of(records)), Map.of()));
    }

    /** A record at the next offset of partition 0 of {@code topic}. */
    public static ConsumerRecord<String, byte[]> record(String topic, String key,
            org.apache.avro.specific.SpecificRecord value) {
        return record(topic, key, SERIALIZER.serialize(topic, value));
    }

    public static ConsumerRecord<String, byte[]> record(String topic, String key, byte[] value) {
        return new ConsumerRecord<>(topic, 0, OFFSETS.incrementAndGet(), key, value);
    }

    /** The key an outgoing message was sent with. */
    public static String keyOf(Message<?> message) {
        return message.getMetadata(OutgoingKafkaRecordMetadata.class).map(m -> (String) m.getKey()).orElse(null);
    }

    private static List<Float> floats(float[] vector) {
        List<Float> list = new ArrayList<>(vector.length);
        for (float v : vector) {
            list.add(v);
        }
        return list;
    }
}
