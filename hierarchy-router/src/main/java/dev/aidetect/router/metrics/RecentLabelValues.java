package dev.aidetect.router.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The values one meter tag keeps, so that a tag whose values come from uploaders (a submission's {@code source}, its
 * {@code run} attribute) cannot grow Prometheus without bound: the {@code limit} values seen most recently. A value
 * seen again moves to the front; a new value beyond the limit pushes out the one seen longest ago, whose series the
 * caller removes (Prometheus keeps what it scraped of them). Not thread-safe: the caller holds a lock.
 */
final class RecentLabelValues {
    private final int limit;
    /** Access order: the eldest entry is the value seen longest ago. */
    private final LinkedHashMap<String, Boolean> recent = new LinkedHashMap<>(16, 0.75f, true);

    RecentLabelValues(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a tag must keep at least one value, not " + limit);
        }
        this.limit = limit;
    }

    /** Records that {@code value} was seen now; returns the value it pushed out, if it did. */
    Optional<String> seen(String value) {
        if (recent.put(value, Boolean.TRUE) != null || recent.size() <= limit) {
            return Optional.empty();
        }
        Map.Entry<String, Boolean> eldest = recent.entrySet().iterator().next();
        recent.remove(eldest.getKey());
        return Optional.of(eldest.getKey());
    }
}
