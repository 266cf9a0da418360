package dev.aidetect.router.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.aidetect.schemas.FinalVerdict;

/**
 * Final verdicts of the cases this task finished, kept as the bridge until they are read back from verdicts.final:
 * their presence marks a case closed (and answers queries) from the moment its final is forwarded, before the
 * transaction that writes it commits and the read-back store sees it. A marker goes once the closed retention has
 * passed and the read-back store has its final, never before: the read-back store is updated apart from this task (a
 * global store, on each instance at its own pace), and an instance that takes this partition over restores these
 * markers with the task, so late records meet one or the other. An expiry index, keyed by finalization time then
 * image id, lets the purge visit only what expired instead of scanning every verdict of the last hour.
 */
final class FinishedCases {
    private static final String TIME_FORMAT = "%019d";

    private final KeyValueStore<String, FinalVerdict> verdicts;
    private final KeyValueStore<String, String> expiry;
    private final long retentionMillis;

    FinishedCases(KeyValueStore<String, FinalVerdict> verdicts, KeyValueStore<String, String> expiry,
            long retentionMillis) {
        this.verdicts = verdicts;
        this.expiry = expiry;
        this.retentionMillis = retentionMillis;
    }

    boolean contains(String imageId) {
        return verdicts.get(imageId) != null;
    }

    /** How many finished cases are kept, as the store estimates it (exact in memory, approximate in RocksDB). */
    long approximateSize() {
        return verdicts.approximateNumEntries();
    }

    void add(FinalVerdict verdict) {
        verdicts.put(verdict.getImageId(), verdict);
        expiry.put(expiryKey(verdict.getFinalizedAt().toEpochMilli(), verdict.getImageId()), verdict.getImageId());
    }

    /**
     * Forgets cases finished more than the retention before {@code now} whose final {@code readBack} already holds;
     * an expired one it does not hold yet stays until it does.
     *
     * @return how many were forgotten
     */
    int purge(long now, Predicate<String> readBack) {
        String cutoff = String.format(TIME_FORMAT, now - retentionMillis);
        List<KeyValue<String, String>> expired = new ArrayList<>();
        try (KeyValueIterator<String, String> oldestFirst = expiry.all()) {
            while (oldestFirst.hasNext()) {
                KeyValue<String, String> entry = oldestFirst.next();
                if (entry.key.substring(0, cutoff.length()).compareTo(cutoff) > 0) {
                    break;
                }
                if (readBack.test(entry.value)) {
                    expired.add(entry);
                }
            }
        }
        for (KeyValue<String, String> entry : expired) {
            expiry.delete(entry.key);
            verdicts.delete(entry.value);
        }
        return expired.size();
    }

    /** Zero-padded time first, so the store's byte order is time order. */
    private static String expiryKey(long finalizedAt, String imageId) {
        return String.format(TIME_FORMAT, finalizedAt) + "/" + imageId;
    }
}
