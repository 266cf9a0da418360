package dev.aidetect.router.messaging;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;

import dev.aidetect.router.domain.StreamGap;
import dev.aidetect.router.domain.VerdictView;

/**
 * The committed final verdicts of verdicts.final as a resumable event stream: keeps the most recent ones (a bounded
 * buffer, filled at start-up from the topic's tail) and hands each subscriber the verdicts its filter wants, each
 * with an id from which the stream resumes.
 * <p>
 * An event id is a position in verdicts.final, one offset per partition ({@code 0:17,1:5,2:33}: the next offset of
 * each partition after this event), so it is the same position on every router instance and after a restart, however
 * each instance interleaved the partitions. A subscriber that gives one gets every buffered verdict at or after that
 * position, in the order this instance read them (each partition's own order), then the live ones, with nothing
 * twice. Where the buffer no longer reaches back that far, the subscriber first gets a {@code gap} event naming the
 * offsets it misses, then everything from the oldest buffered verdict on. Thread-safe: records arrive on the
 * channel's thread, subscribers come and go on HTTP threads.
 */
public final class VerdictFeed {
    /** The event name of a {@link StreamGap}; verdicts are unnamed events. */
    public static final String GAP_EVENT = "gap";

    /** One event for a subscriber: a verdict (no name) or a gap notice, with the position to resume after it. */
    public record Event(String id, String name, Object data) {
    }

    private record Entry(int partition, long offset, VerdictView verdict) {
    }

    private final class Subscriber {
        final Map<Integer, Long> position;
        final Predicate<VerdictView> filter;
        final MultiEmitter<? super Event> emitter;

        Subscriber(Map<Integer, Long> position, Predicate<VerdictView> filter, MultiEmitter<? super Event> emitter) {
            this.position = position;
            this.filter = filter;
            this.emitter = emitter;
        }

        /** Sends {@code entry} if it is past this subscriber's position and wanted, and moves the position on. */
        void offer(Entry entry) {
            long at = position.getOrDefault(entry.partition, liveFrom.getOrDefault(entry.partition, 0L));
            if (entry.offset < at) {
                return;
            }
            position.put(entry.partition, entry.offset + 1);
            if (entry.verdict != null && filter.test(entry.verdict)) {
                emitter.emit(new Event(encode(position), null, entry.verdict));
            }
        }
    }

    private final int capacity;
    private final int subscriberBuffer;
    private final Deque<Entry> recent = new ArrayDeque<>();
    /** Per partition: the buffer holds every verdict from this offset on. */
    private final Map<Integer, Long> coveredFrom = new HashMap<>();
    /** Per partition: verdicts from this offset on were committed after this instance began reading (live). */
    private final Map<Integer, Long> liveFrom = new HashMap<>();
    /** Per partition: the offset after the last record read. */
    private final Map<Integer, Long> next = new HashMap<>();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private boolean ready;

    /**
     * @param capacity how many recent verdicts are kept to resume from
     * @param subscriberBuffer how many events beyond a full replay a subscriber may fall behind before its stream is
     *            ended with an error
     */
    public VerdictFeed(int capacity, int subscriberBuffer) {
        if (capacity < 0 || subscriberBuffer < 1) {
            throw new IllegalArgumentException("aidetect.router.stream-replay (" + capacity
                    + ") must be 0 or more and aidetect.router.stream-buffer (" + subscriberBuffer + ") 1 or more");
        }
        this.capacity = capacity;
        this.subscriberBuffer = subscriberBuffer;
    }

    /**
     * The reader is positioned: on each partition it reads from {@code readFrom} on, and records from {@code live} on
     * were committed after it started. Called again after a reassignment, it keeps what it knew.
     */
    public synchronized void positioned(Map<Integer, Long> readFrom, Map<Integer, Long> live) {
        readFrom.forEach((partition, offset) -> {
            coveredFrom.putIfAbsent(partition, offset);
            next.putIfAbsent(partition, offset);
        });
        live.forEach(liveFrom::putIfAbsent);
        ready = true;
    }

    /** Whether the reader is positioned, so that subscribers can start. */
    public synchronized boolean ready() {
        return ready;
    }

    /**
     * A committed record of verdicts.final: its verdict, or {@code null} when it is not a final verdict (it still
     * moves positions on). A record read before (after a reassignment) is ignored.
     */
    public synchronized void add(int partition, long offset, VerdictView verdict) {
        if (offset < next.getOrDefault(partition, 0L)) {
            return;
        }
        next.put(partition, offset + 1);
        Entry entry = new Entry(partition, offset, verdict);
        if (verdict != null && capacity > 0) {
            recent.addLast(entry);
            if (recent.size() > capacity) {
                Entry evicted = recent.removeFirst();
                coveredFrom.put(evicted.partition, evicted.offset + 1);
            }
        } else if (verdict != null) {
            coveredFrom.put(partition, offset + 1);
        }
        subscribers.forEach(subscriber -> subscriber.offer(entry));
    }

    /**
     * The events for a new subscriber: from {@code lastEventId} on when given (the buffered ones first), else from
     * now; only verdicts {@code filter} accepts.
     *
     * @throws IllegalArgumentException when {@code lastEventId} is not an id this stream gave
     * @throws IllegalStateException while the reader is not positioned yet
     */
    public Multi<Event> subscribe(String lastEventId, Predicate<VerdictView> filter) {
        Map<Integer, Long> from = lastEventId == null || lastEventId.isBlank() ? null : decode(lastEventId);
        if (!ready()) {
            throw new IllegalStateException("the verdict feed is not reading verdicts.final yet; retry in a few"
                    + " seconds");
        }
        return Multi.createFrom().<Event>emitter(emitter -> start(from, filter, emitter))
                .onOverflow().buffer(capacity + subscriberBuffer);
    }

    private synchronized void start(Map<Integer, Long> from, Predicate<VerdictView> filter,
            MultiEmitter<? super Event> emitter) {
        Map<Integer, Long> position = new HashMap<>();
        List<StreamGap.Missed> missed = new ArrayList<>();
        for (Map.Entry<Integer, Long> partition : next.entrySet()) {
            int p = partition.getKey();
            if (from == null) {
                position.put(p, Math.max(partition.getValue(), liveFrom.getOrDefault(p, 0L)));
                continue;
            }
            long wanted = from.getOrDefault(p, 0L);
            long covered = coveredFrom.getOrDefault(p, 0L);
            if (wanted < covered) {
                missed.add(new StreamGap.Missed(p, wanted, covered));
                wanted = covered;
            }
            position.put(p, wanted);
        }
        Subscriber subscriber = new Subscriber(position, filter, emitter);
        if (!missed.isEmpty()) {
            missed.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
            emitter.emit(new Event(encode(position), GAP_EVENT, new StreamGap("this instance keeps only the last "
                    + capacity + " final verdicts (aidetect.router.stream-replay) and no longer holds the ones"
                    + " committed at these offsets of verdicts.final: read them there, or ask GET /verdicts/{imageId};"
                    + " the stream goes on from the oldest it holds", missed)));
        }
        recent.forEach(subscriber::offer);
        subscribers.add(subscriber);
        emitter.onTermination(() -> subscribers.remove(subscriber));
        if (emitter.isCancelled()) {
            subscribers.remove(subscriber);
        }
    }

    /** Ends every subscriber's stream (the service stops). */
    public synchronized void close() {
        subscribers.forEach(subscriber -> subscriber.emitter.complete());
        subscribers.clear();
    }

    /** {@code 0:17,1:5,2:33}: partitions in order, each with its next offset. */
    static String encode(Map<Integer, Long> position) {
        return new TreeMap<>(position).entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                .collect(Collectors.joining(","));
    }

    /**
     * The position an event id names.
     *
     * @throws IllegalArgumentException saying what an id looks like when {@code id} is not one
     */
    static Map<Integer, Long> decode(String id) {
        Map<Integer, Long> position = new HashMap<>();
        try {
            for (String part : id.strip().split(",")) {
                String[] pair = part.split(":");
                if (pair.length != 2 || Integer.parseInt(pair[0].strip()) < 0 || Long.parseLong(pair[1].strip()) < 0
                        || position.put(Integer.parseInt(pair[0].strip()), Long.parseLong(pair[1].strip())) != null) {
                    throw new NumberFormatException(part);
                }
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Last-Event-ID '" + id + "' is not an id of this stream: ids are"
                    + " positions in verdicts.final, partition:offset pairs such as 0:17,1:5,2:33; resume with the id"
                    + " of the last event received, or connect without one to start from now", e);
        }
        return position;
    }
}
