package dev.aidetect.embedder.messaging;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

import dev.aidetect.embedder.config.EmbedderConfig;
import dev.aidetect.embedder.config.EmbedderConfig.Publish;
import dev.aidetect.embedder.inference.EngineHolder;
import dev.aidetect.imaging.encoder.ImageEncoder.Member;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ModelRef;
import dev.aidetect.schemas.Topic;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.TopicAdmin;
import dev.aidetect.topics.ServiceKafkaConfig;
import dev.aidetect.topics.TopicsConfig;

/**
 * Where each embedding is published. Concatenated (the default): the whole vector, under the joined encoder id, on
 * {@code images.embedded}. Separate: each encoder's values become an embedding of their own, under that encoder's id
 * and version; the first encoder's go to {@code images.embedded} (what the classifier serves), each other's to
 * {@code images.embedded.<its id>}, a topic created at start-up like the pipeline topics. One decode and one
 * preprocessing serve every encoder either way.
 */
@ApplicationScoped
public class EmbeddingDestinations {
    private static final Logger LOG = Logger.getLogger(EmbeddingDestinations.class);

    /** One record to send: the embedding and its topic. */
    public record Destination(String topic, ImageEmbedding embedding) {
    }

    private final EmbedderConfig config;
    private final EngineHolder holder;
    private final TopicsConfig topics;
    private final ServiceKafkaConfig kafka;
    private volatile Layout layout;

    public EmbeddingDestinations(EmbedderConfig config, EngineHolder holder, TopicsConfig topics,
            ServiceKafkaConfig kafka) {
        this.config = config;
        this.holder = holder;
        this.topics = topics;
        this.kafka = kafka;
    }

    /** After the encoder has loaded, before the channels connect: each further encoder's topic exists. */
    void createTopics(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 10) StartupEvent event) {
        if (config.publish() != Publish.SEPARATE || holder.failure().isPresent()) {
            return;
        }
        Layout layout = layout();
        List<Topic<String, ?>> own = new ArrayList<>(layout.topics().subList(1, layout.topics().size()));
        TopicAdmin.ensure(kafka.admin(), own, topics.partitions(), topics.replicationFactor());
        LOG.infof("Encoders published separately: %s on %s, the others on %s", layout.members().getFirst().id(),
                Topics.EMBEDDED.name(), own.stream().map(Topic::name).toList());
    }

    /** The records that publish {@code embedding}: itself, or one per encoder when publishing separately. */
    public List<Destination> of(ImageEmbedding embedding) {
        if (config.publish() == Publish.CONCATENATED) {
            return List.of(new Destination(Topics.EMBEDDED.name(), embedding));
        }
        return split(embedding, layout());
    }

    /** The loaded encoder's layout, worked out once: the encoder does not change while the service runs. */
    private Layout layout() {
        Layout known = layout;
        if (known == null) {
            known = Layout.of(holder.encoder().members());
            layout = known;
        }
        return known;
    }

    /** The encoders run side by side and each one's topic, in vector order: images.embedded first. */
    record Layout(List<Member> members, List<Topic<String, ImageEmbedding>> topics) {

        /** @throws IllegalStateException when two encoders share an id, and so would share a topic */
        static Layout of(List<Member> members) {
            Set<String> seen = new HashSet<>();
            List<Topic<String, ImageEmbedding>> topics = new ArrayList<>(members.size());
            for (Member member : members) {
                if (!seen.add(member.id())) {
                    throw new IllegalStateException("encoder " + member.id() + " is configured twice, so its vectors"
                            + " cannot be published separately: give each encoder its own id in its manifest, or set"
                            + " aidetect.embedder.publish=concatenated");
                }
                topics.add(topics.isEmpty() ? Topics.EMBEDDED : Topics.embeddedBy(member.id()));
            }
            return new Layout(List.copyOf(members), List.copyOf(topics));
        }
    }

    /**
     * One embedding per encoder, cut from the concatenated vector in layout order.
     *
     * @throws IllegalStateException when the vector's size is not the encoders' sizes summed
     */
    static List<Destination> split(ImageEmbedding combined, Layout layout) {
        List<Member> members = layout.members();
        int total = members.stream().mapToInt(Member::embeddingSize).sum();
        if (combined.getVector().size() != total) {
            throw new IllegalStateException("embedding of " + combined.getImageId() + " has "
                    + combined.getVector().size() + " values but encoders " + members + " make " + total);
        }
        List<Destination> destinations = new ArrayList<>(members.size());
        int offset = 0;
        for (int i = 0; i < members.size(); i++) {
            Member member = members.get(i);
            ImageEmbedding own = ImageEmbedding.newBuilder(combined)
                    .setEncodedBy(new ModelRef(member.id(), member.version()))
                    .setVector(new ArrayList<>(combined.getVector().subList(offset, offset + member.embeddingSize())))
                    .build();
            destinations.add(new Destination(layout.topics().get(i).name(), own));
            offset += member.embeddingSize();
        }
        return destinations;
    }
}
