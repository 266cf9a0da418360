package dev.aidetect.router.streams;

import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The case processor's view of the global {@link CaseTopology#FINALS_STORE}: whether verdicts.final already holds a
 * final verdict for an image. Only presence counts, so a record this version cannot decode still closes its image.
 */
final class ReadBackFinals {
    private final KeyValueStore<String, ?> store;

    ReadBackFinals(KeyValueStore<String, ?> store) {
        this.store = store;
    }

    boolean has(String imageId) {
        return store.get(imageId) != null;
    }
}
