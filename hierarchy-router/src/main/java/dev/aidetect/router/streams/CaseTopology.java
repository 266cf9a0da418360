package dev.aidetect.router.streams;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.BranchedKStream;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.RouterCase;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageRequest;
import dev.aidetect.schemas.Topic;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.AvroSerde;

/**
 * The router's topology. Consumes images.received (the embedder's receipt of each submission, keyed by the image id
 * in its value: never images.ingest, whose records any producer may key and partition as it likes, and which carries
 * the pixels), images.embedded, images.rejected and the three verdict topics; produces stage.family.requests,
 * stage.attribution.{gan,diffusion}.requests and verdicts.final. One
 * {@link CaseProcessor} holds every case of its partition in {@link #CASES_STORE}; finished cases stay in
 * {@link #FINISHED_STORE} (and its expiry index) until their final is read back. verdicts.final itself is read back
 * into the global {@link #FINALS_STORE} (every image's final, on every instance, restored from the topic before
 * processing starts): the source of truth that answers queries and keeps an image from getting a second final.
 */
public final class CaseTopology {
    /** Open cases: image id to {@link RouterCase}. */
    public static final String CASES_STORE = "router-cases";
    /** Finished cases: image id to its {@link FinalVerdict}; also the closed marker. */
    public static final String FINISHED_STORE = "router-finished";
    /** When finished cases expire: zero-padded finalization time and image id, to image id. */
    public static final String EXPIRY_STORE = "router-finished-expiry";
    /**
     * Every final verdict on verdicts.final (compacted), read back by every instance: image id to the record's bytes,
     * decoded only when a query asks (a record this version cannot decode still marks its image finished).
     */
    public static final String FINALS_STORE = "router-final-verdicts";

    /** Where requests go: the family stage, and the attribution stage of every known family. */
    private static final List<Topic<String, StageRequest>> REQUEST_TOPICS = Stream.concat(
            Stream.of(Topics.FAMILY_REQUESTS), Topics.FAMILIES.stream().map(Topics::attributionRequests)).toList();

    private CaseTopology() {
    }

    /** Adds the router to {@code builder}, with RocksDB stores, and builds the topology. */
    public static Topology build(StreamsBuilder builder, RouterSettings settings, CaseObserver observer) {
        return build(builder, settings, observer, Stores::persistentKeyValueStore);
    }

    /** The same topology on stores made by {@code stores} (tests that push many records use in-memory ones). */
    static Topology build(StreamsBuilder builder, RouterSettings settings, CaseObserver observer,
            Function<String, KeyValueBytesStoreSupplier> stores) {
        builder.addStateStore(Stores.keyValueStoreBuilder(stores.apply(CASES_STORE), Serdes.String(),
                new AvroSerde<>(RouterCase.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(stores.apply(FINISHED_STORE), Serdes.String(),
                Topics.FINAL.valueSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(stores.apply(EXPIRY_STORE), Serdes.String(),
                Serdes.String()));

        KStream<String, CaseEvent> events = events(builder, Topics.RECEIVED, CaseEvent.Submitted::new)
                .merge(events(builder, Topics.EMBEDDED, CaseEvent.Embedded::new))
                .merge(events(builder, Topics.REJECTED, CaseEvent.Rejected::new))
                .merge(events(builder, Topics.DETECTION_VERDICTS, v -> new CaseEvent.Verdict(Stage.DETECTION, v)))
                .merge(events(builder, Topics.FAMILY_VERDICTS, v -> new CaseEvent.Verdict(Stage.FAMILY, v)))
                .merge(events(builder, Topics.ATTRIBUTION_VERDICTS,
                        v -> new CaseEvent.Verdict(Stage.ATTRIBUTION, v)));

        BranchedKStream<String, SpecificRecord> routed = events
                .process(() -> new CaseProcessor(settings, observer), Named.as("case-processor"), CASES_STORE,
                        FINISHED_STORE, EXPIRY_STORE)
                .split(Named.as("to-"));
        routed.branch((imageId, record) -> record instanceof FinalVerdict, sink(Topics.FINAL, FinalVerdict.class));
        for (Topic<String, StageRequest> topic : REQUEST_TOPICS) {
            routed.branch((imageId, record) -> record instanceof StageRequest request && requestTopic(request) == topic,
                    sink(topic, StageRequest.class));
        }
        routed.noDefaultBranch();
        // Added last so that the case processor's sub-topology keeps its number (and its tasks their ids).
        builder.globalTable(Topics.FINAL.name(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("verdicts-final-read-back"),
                Materialized.<String, byte[]>as(stores.apply(FINALS_STORE)).withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.ByteArray()));
        return builder.build();
    }

    /** The topic a request goes to: the family stage's, or the attribution stage of the request's family. */
    private static Topic<String, StageRequest> requestTopic(StageRequest request) {
        return request.getStage() == Stage.FAMILY
                ? Topics.FAMILY_REQUESTS
                : Topics.attributionRequests(request.getFamily());
    }

    private static <V extends SpecificRecord> KStream<String, CaseEvent> events(StreamsBuilder builder,
            Topic<String, V> topic, Function<V, CaseEvent> event) {
        // A record without key or value fails to deserialize, as one that is not Avro does: it becomes a dead letter.
        return builder.stream(topic.name(), Consumed.with(RequiredSerdes.keys(topic), RequiredSerdes.values(topic)))
                .mapValues(event::apply);
    }

    private static <V> Branched<String, SpecificRecord> sink(Topic<String, V> topic, Class<V> type) {
        return Branched.withConsumer(records -> records.mapValues(type::cast)
                .to(topic.name(), Produced.with(topic.keySerde(), topic.valueSerde())), topic.name());
    }
}
