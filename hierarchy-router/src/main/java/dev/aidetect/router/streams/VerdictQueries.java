package dev.aidetect.router.streams;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

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

/**
 * Answers verdict queries from this instance's stores (interactive queries): the final verdict of a finished case,
 * else the progress of an open one; and says which instance owns an image's case, for requests that reach another.
 */
@ApplicationScoped
public class VerdictQueries {
    private final KafkaStreams streams;
    private final CaseRouter router;

    public VerdictQueries(KafkaStreams streams, RouterConfig config) {
        this.streams = streams;
        this.router = new CaseRouter(RouterSettings.of(config));
    }

    /**
     * Where the case of {@code imageId} lives: its partition, the instance that processes it (active host) and those
     * that keep a standby copy. All three stores are keyed and partitioned alike, so one answer holds for them all.
     *
     * @return {@link KeyQueryMetadata#NOT_AVAILABLE} while the group is rebalancing
     */
    public KeyQueryMetadata owner(String imageId) {
        return streams.queryMetadataForKey(CaseTopology.CASES_STORE, imageId, Serdes.String().serializer());
    }

    /**
     * The verdict or progress of an image's case from this instance's stores; empty when it has no case for it.
     *
     * @param standby whether a standby (or restoring) copy may answer, which may lag the active one a little
     * @throws InvalidStateStoreException while the stores cannot be queried (starting, rebalancing)
     */
    public Optional<VerdictView> find(String imageId, boolean standby) {
        // Open cases first: a case that finishes between the two reads is then found finished, not missed.
        RouterCase open = this.<RouterCase>store(CaseTopology.CASES_STORE, standby).get(imageId);
        if (open != null) {
            FinalVerdict progress = Finals.timedOut(open, router.next(open).path(), open.getWaitingFor(),
                    System.currentTimeMillis());
            return Optional.of(VerdictView.pending(progress));
        }
        FinalVerdict finished = this.<FinalVerdict>store(CaseTopology.FINISHED_STORE, standby).get(imageId);
        return Optional.ofNullable(finished).map(VerdictView::finished);
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name, boolean standby) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> query = StoreQueryParameters.fromNameAndType(name,
                QueryableStoreTypes.keyValueStore());
        return streams.store(standby ? query.enableStaleStores() : query);
    }
}
