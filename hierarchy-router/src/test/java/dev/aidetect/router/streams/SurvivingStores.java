package dev.aidetect.router.streams;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * In-memory stores that outlive the {@code TopologyTestDriver} that used them, so a second driver on them is the same
 * router restarted with its state (the test driver wipes its state directory when it closes, RocksDB stores included).
 */
final class SurvivingStores implements Function<String, KeyValueBytesStoreSupplier> {
    private final Map<String, KeyValueStore<Bytes, byte[]>> stores = new HashMap<>();

    @Override
    public KeyValueBytesStoreSupplier apply(String name) {
        KeyValueStore<Bytes, byte[]> store = stores.computeIfAbsent(name,
                n -> Stores.inMemoryKeyValueStore(n).get());
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return new Surviving(store);
            }

            @Override
            public String metricsScope() {
                return "in-memory";
            }
        };
    }

    /** The store, kept open when its driver closes it. */
    private record Surviving(KeyValueStore<Bytes, byte[]> inner) implements KeyValueStore<Bytes, byte[]> {
        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public void init(StateStoreContext context, StateStore root) {
            if (!inner.isOpen()) {
                inner.init(context, root);
            } else {
                context.register(root, (key, value) -> inner.put(Bytes.wrap(key), value));
            }
        }

        @Override
        public void flush() {
            inner.flush();
        }

        @Override
        public void close() {
            // Kept for the next driver.
        }

        @Override
        public boolean persistent() {
            return false;
        }

        @Override
        public boolean isOpen() {
            return inner.isOpen();
        }

        @Override
        public void put(Bytes key, byte[] value) {
            inner.put(key, value);
        }

        @Override
        public byte[] putIfAbsent(Bytes key, byte[] value) {
            return inner.putIfAbsent(key, value);
        }

        @Override
        public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
            inner.putAll(entries);
        }

        @Override
        public byte[] delete(Bytes key) {
            return inner.delete(key);
        }

        @Override
        public byte[] get(Bytes key) {
            return inner.get(key);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
            return inner.range(from, to);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> all() {
            return inner.all();
        }

        @Override
        public long approximateNumEntries() {
            return inner.approximateNumEntries();
        }

        @Override
        public org.apache.kafka.streams.query.Position getPosition() {
            return inner.getPosition();
        }
    }
}
