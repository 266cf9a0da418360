package dev.aidetect.router.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.subscription.BackPressureFailure;

import dev.aidetect.router.domain.StreamGap;
import dev.aidetect.router.domain.VerdictFilter;
import dev.aidetect.router.domain.VerdictView;

/**
 * What a {@code GET /verdicts/stream} client receives: verdicts committed after it connected, each with an id that is
 * a position in verdicts.final; on resuming from an id, what it missed, in order and once, or a gap event saying what
 * is no longer held; only what its filter wants.
 */
class VerdictFeedTest {
    private final VerdictFeed feed = new VerdictFeed(4, 10);

    @Test
    void newClientGetsOnlyVerdictsCommittedAfterItConnectedEachWithItsPosition() {
        // given a feed that read back two verdicts committed before it started, on partition 0 of two
        feed.positioned(Map.of(0, 0L, 1, 0L), Map.of(0, 2L, 1, 0L));
        feed.add(0, 0, verdict("old-1"));
        feed.add(0, 1, verdict("old-2"));

        // when a client connects and two more are committed
        AssertSubscriber<VerdictFeed.Event> client = subscribe(null, VerdictFilter.ALL);
        feed.add(1, 0, verdict("new-1"));
        feed.add(0, 2, verdict("new-2"));

        // then it gets those two, each with the position after it
        assertThat(client.getItems()).extracting(VerdictFeed.Event::id).containsExactly("0:2,1:1", "0:3,1:1");
        assertThat(ids(client)).containsExactly("new-1", "new-2");
    }

    @Test
    void clientResumingFromAnIdGetsWhatCameAfterItInOrderThenTheLiveOnesAndNothingTwice() {
        feed.positioned(Map.of(0, 0L, 1, 0L), Map.of(0, 0L, 1, 0L));
        AssertSubscriber<VerdictFeed.Event> first = subscribe(null, VerdictFilter.ALL);
        feed.add(0, 0, verdict("a"));
        feed.add(1, 0, verdict("b"));
        String lastSeen = first.getItems().get(0).id();
        first.cancel();
        feed.add(1, 1, verdict("c"));
        feed.add(0, 1, verdict("d"));

        AssertSubscriber<VerdictFeed.Event> resumed = subscribe(lastSeen, VerdictFilter.ALL);
        feed.add(0, 2, verdict("e"));

        assertThat(lastSeen).isEqualTo("0:1,1:0");
        assertThat(ids(resumed)).containsExactly("b", "c", "d", "e");
        assertThat(resumed.getItems().getLast().id()).isEqualTo("0:3,1:2");
    }

    @Test
    void anIdFromAnotherInstanceResumesAlikeWhateverOrderThatInstanceReadThePartitionsIn() {
        // given two instances that read the same records, the partitions interleaved differently
        VerdictFeed other = new VerdictFeed(10, 10);
        for (VerdictFeed each : List.of(feed, other)) {
            each.positioned(Map.of(0, 0L, 1, 0L), Map.of(0, 0L, 1, 0L));
        }
        AssertSubscriber<VerdictFeed.Event> onOther = AssertSubscriber.create(Long.MAX_VALUE);
        other.subscribe(null, VerdictFilter.ALL).subscribe().withSubscriber(onOther);
        other.add(0, 0, verdict("p0-a"));
        other.add(0, 1, verdict("p0-b"));
        other.add(1, 0, verdict("p1-a"));
        feed.add(1, 0, verdict("p1-a"));
        feed.add(0, 0, verdict("p0-a"));
        feed.add(1, 1, verdict("p1-b"));
        feed.add(0, 1, verdict("p0-b"));

        // when the client moves here with the id of the second event it got there (p0-a and p0-b, not p1-a)
        AssertSubscriber<VerdictFeed.Event> here = subscribe(onOther.getItems().get(1).id(), VerdictFilter.ALL);

        // then it gets exactly what it had not: p1-a and p1-b
        assertThat(ids(here)).containsExactly("p1-a", "p1-b");
    }

    @Test
    void resumingFromBeforeWhatTheBufferHoldsStartsWithAGapEventNamingTheMissedOffsets() {
        feed.positioned(Map.of(0, 0L, 1, 0L), Map.of(0, 0L, 1, 0L));
        for (int offset = 0; offset < 6; offset++) {
            feed.add(0, offset, verdict("v" + offset));
        }

        AssertSubscriber<VerdictFeed.Event> client = subscribe("0:1,1:0", VerdictFilter.ALL);

        VerdictFeed.Event gap = client.getItems().getFirst();
        assertThat(gap.name()).isEqualTo(VerdictFeed.GAP_EVENT);
        assertThat(((StreamGap) gap.data()).missed()).containsExactly(new StreamGap.Missed(0, 1, 2));
        assertThat(((StreamGap) gap.data()).message()).contains("aidetect.router.stream-replay", "GET /verdicts/");
        assertThat(gap.id()).isEqualTo("0:2,1:0");
        assertThat(client.getItems().subList(1, 5)).extracting(e -> ((VerdictView) e.data()).imageId())
                .containsExactly("v2", "v3", "v4", "v5");
    }

    @Test
    void filteredClientGetsOnlyMatchingVerdictsAndResumesPastTheOthers() {
        feed.positioned(Map.of(0, 0L), Map.of(0, 0L));
        VerdictFilter uncertainOfRun7 = VerdictFilter.of(null, List.of("run-7"), List.of("uncertain"), null);
        AssertSubscriber<VerdictFeed.Event> client = subscribe(null, uncertainOfRun7);

        feed.add(0, 0, verdict("fake-7", "FAKE", "run-7"));
        feed.add(0, 1, verdict("uncertain-7", "UNCERTAIN", "run-7"));
        feed.add(0, 2, verdict("uncertain-8", "UNCERTAIN", "run-8"));
        feed.add(0, 3, null);

        assertThat(ids(client)).containsExactly("uncertain-7");
        assertThat(client.getItems().getFirst().id()).isEqualTo("0:2");
        feed.add(0, 4, verdict("uncertain-7b", "UNCERTAIN", "run-7"));
        assertThat(client.getItems().getLast().id()).isEqualTo("0:5");
    }

    @Test
    void recordsReadAgainAfterAReassignmentAreNotSentTwice() {
        feed.positioned(Map.of(0, 0L), Map.of(0, 0L));
        AssertSubscriber<VerdictFeed.Event> client = subscribe(null, VerdictFilter.ALL);
        feed.add(0, 0, verdict("a"));
        feed.add(0, 1, verdict("b"));

        feed.positioned(Map.of(0, 0L), Map.of(0, 2L));
        feed.add(0, 0, verdict("a"));
        feed.add(0, 1, verdict("b"));
        feed.add(0, 2, verdict("c"));

        assertThat(ids(client)).containsExactly("a", "b", "c");
    }

    @Test
    void clientThatFallsFurtherBehindThanItsBufferIsEndedWithAnError() {
        VerdictFeed small = new VerdictFeed(0, 2);
        small.positioned(Map.of(0, 0L), Map.of(0, 0L));
        AssertSubscriber<VerdictFeed.Event> stalled = AssertSubscriber.create(0);
        small.subscribe(null, VerdictFilter.ALL).subscribe().withSubscriber(stalled);

        for (int offset = 0; offset < 3; offset++) {
            small.add(0, offset, verdict("v" + offset));
        }

        stalled.assertFailedWith(BackPressureFailure.class);
    }

    @Test
    void refusesAnIdThatIsNotAPositionAndClientsBeforeTheFeedIsReading() {
        assertThatIllegalStateException().isThrownBy(() -> feed.subscribe(null, VerdictFilter.ALL))
                .withMessageContaining("retry");
        feed.positioned(Map.of(0, 0L), Map.of(0, 0L));
        for (String id : List.of("17", "0:x", "0:1,0:2", "-1:3", "0:1;1:2")) {
            assertThatIllegalArgumentException().isThrownBy(() -> feed.subscribe(id, VerdictFilter.ALL))
                    .withMessageContaining("'" + id + "'").withMessageContaining("partition:offset");
        }
    }

    private AssertSubscriber<VerdictFeed.Event> subscribe(String lastEventId, VerdictFilter filter) {
        AssertSubscriber<VerdictFeed.Event> subscriber = AssertSubscriber.create(Long.MAX_VALUE);
        feed.subscribe(lastEventId, filter).subscribe().withSubscriber(subscriber);
        return subscriber;
    }

    private static List<String> ids(AssertSubscriber<VerdictFeed.Event> subscriber) {
        return subscriber.getItems().stream().filter(e -> e.name() == null)
                .map(e -> ((VerdictView) e.data()).imageId()).toList();
    }

    private static VerdictView verdict(String imageId) {
        return verdict(imageId, "REAL", "run-1");
    }

    private static VerdictView verdict(String imageId, String authenticity, String run) {
        return new VerdictView(imageId, "DECIDED", authenticity, 0.5, null, null, List.of(), null, null, null, null,
                1L, "test", Map.of(VerdictFilter.RUN_ATTRIBUTE, run), null);
    }
}
