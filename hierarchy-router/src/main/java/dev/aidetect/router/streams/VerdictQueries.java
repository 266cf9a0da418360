package dev.aidetect.router.streams;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import dev.aidetect.router.config.RouterConfig;
import dev.aidetect.router.domain.VerdictView;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.RouterCase;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.RecordDecodingException;

/**
 * Answers verdict queries from this instance's stores (interactive queries): the final verdict of any image from the
 * read-back store of verdicts.final, which every instance holds whole; the progress of an open case, or the final of
 * one just finished and not yet read back, from the stores of the instance that owns the image's partition; and says
 * which instance that is, for requests that reach another.
 */
@ApplicationScoped
public class VerdictQueries {
    private final KafkaStreams streams;
    private final CaseRouter router;
    private final Finals finals;
    private final Deserializer<FinalVerdict> decoder = Topics.FINAL.valueSerde().deserializer();

    public VerdictQueries(KafkaStreams streams, RouterConfig config) {
        this.streams = streams;
        this.router = new CaseRouter(RouterSettings.of(config));
        this.finals = new Finals(router);
    }

    /**
     * Where the case of {@code imageId} lives: its partition, the instance that processes it (active host) and those
     * that keep a standby copy. The case stores are keyed and partitioned alike, so one answer holds for them all.
     *
     * @return {@link KeyQueryMetadata#NOT_AVAILABLE} while the group is rebalancing
     */
    public KeyQueryMetadata owner(String imageId) {
        return streams.queryMetadataForKey(CaseTopology.CASES_STORE, imageId, Serdes.String().serializer());
    }

    /**
     * The final verdict verdicts.final holds for {@code imageId}, as this instance has read it back: any image,
     * whichever instance decided it, for as long as the topic keeps it (compacted: its lifetime).
     *
     * @throws InvalidStateStoreException while the store cannot be queried (starting)
     * @throws RecordDecodingException when the record is not a version of FinalVerdict this router knows
     */
    public Optional<VerdictView> published(String imageId) {
        byte[] record = this.<byte[]>store(CaseTopology.FINALS_STORE, false).get(imageId);
        return Optional.ofNullable(record).map(bytes -> VerdictView.finished(decoder.deserialize(Topics.FINAL.name(),
                bytes)));
    }

    /**
     * The verdict or progress of an image's case from this instance's stores: an open case, a final this instance
     * published and may not have read back yet, or a final read back from verdicts.final; empty when none has it.
     *
     * @param standby whether a standby (or restoring) copy may answer, which may lag the active one a little
     * @throws InvalidStateStoreException while the stores cannot be queried (starting, rebalancing)
     */
    public Optional<VerdictView> find(String imageId, boolean standby) {
        // Open cases first, then the closed markers, then the read-back store: a case that finishes between two of
        // these reads is then found finished, not missed.
        RouterCase open = this.<RouterCase>store(CaseTopology.CASES_STORE, standby).get(imageId);
        if (open != null) {
            FinalVerdict progress = finals.timedOut(open, router.next(open).path(), open.getWaitingFor(),
                    System.currentTimeMillis());
            return Optional.of(VerdictView.pending(progress));
        }
        FinalVerdict finished = this.<FinalVerdict>store(CaseTopology.FINISHED_STORE, standby).get(imageId);
        return finished != null ? Optional.of(VerdictView.finished(finished)) : published(imageId);
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name, boolean standby) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> query = StoreQueryParameters.fromNameAndType(name,
                QueryableStoreTypes.keyValueStore());
        return streams.store(standby ? query.enableStaleStores() : query);
    }
}
