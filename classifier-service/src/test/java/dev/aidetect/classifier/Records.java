package dev.aidetect.classifier;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

import dev.aidetect.schemas.EmbeddingTimings;
import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageLabel;
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

    /** A record as the Kafka connector delivers it: raw bytes with the key in the incoming metadata. */
    public static Message<byte[]> consumed(String topic, String key, byte[] value) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(topic, 0, OFFSETS.incrementAndGet(), key, value);
        return Message.of(value, Metadata.of(new IncomingKafkaRecordMetadata<>(record, topic)));
    }

    public static Message<byte[]> consumed(String topic, String key, org.apache.avro.specific.SpecificRecord value) {
        return consumed(topic, key, SERIALIZER.serialize(topic, value));
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
