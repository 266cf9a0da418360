package dev.aidetect.router.streams;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.streams.KafkaStreams;
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
 * else the progress of an open one. Cases whose partitions another instance owns are not visible here.
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
     * The verdict or progress of an image's case; empty when this instance has no case for it.
     *
     * @throws InvalidStateStoreException while the stores cannot be queried (starting, rebalancing)
     */
    public Optional<VerdictView> find(String imageId) {
        // Open cases first: a case that finishes between the two reads is then found finished, not missed.
        RouterCase open = this.<RouterCase>store(CaseTopology.CASES_STORE).get(imageId);
        if (open != null) {
            FinalVerdict progress = Finals.timedOut(open, router.next(open).path(), open.getWaitingFor(),
                    System.currentTimeMillis());
            return Optional.of(VerdictView.pending(progress));
        }
        FinalVerdict finished = this.<FinalVerdict>store(CaseTopology.FINISHED_STORE).get(imageId);
        return Optional.ofNullable(finished).map(VerdictView::finished);
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        return streams
                .store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
    }
}
