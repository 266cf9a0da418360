package dev.aidetect.router.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.aidetect.schemas.FinalVerdict;

/**
 * The router's state stays bounded under load: a finished case leaves the open-case store at once, and its closed
 * marker (and expiry entry) leaves when the closed retention has passed; only open cases remain. The stores are in
 * memory here: the test driver commits after every record, and a RocksDB flush per commit would make ten thousand
 * cases take minutes; the processor is the same, and the other topology tests run on RocksDB.
 */
class BoundedStateTest {
    private static final int FINISHED = 10_000;
    private static final int OPEN = 25;
    private static final Duration RETENTION = Duration.ofMinutes(10);

    private final RouterDriver router = new RouterDriver(
            new RouterSettings(RouterSettings.HIERARCHY, Duration.ofHours(1), Duration.ofSeconds(1), RETENTION),
            Stores::inMemoryKeyValueStore);

    @AfterEach
    void closeDriver() {
        router.close();
    }

    @Test
    void tenThousandFinishedCasesLeaveOnlyTheOpenOnesOnceTheRetentionHasPassed() {
        // given ten thousand cases pushed through to their final verdict, and a few that stay open
        IntStream.range(0, FINISHED).forEach(i -> router.submit("done-" + i).detect("done-" + i, "REAL"));
        List<String> open = IntStream.range(0, OPEN).mapToObj(i -> "open-" + i).toList();
        open.forEach(router::submit);
        List<FinalVerdict> finals = router.finals();
        assertThat(finals).hasSize(FINISHED);
        assertThat(router.keys(CaseTopology.CASES_STORE)).containsExactlyInAnyOrderElementsOf(open);
        assertThat(router.keys(CaseTopology.FINISHED_STORE)).hasSize(FINISHED);
        assertThat(router.closedCases).hasValue(FINISHED);

        // when the wall clock passes the closed retention
        router.advance(RETENTION.plusSeconds(1));

        // then no finished case is kept, the open ones still are, and the gauges agree
        assertThat(router.keys(CaseTopology.FINISHED_STORE)).isEmpty();
        assertThat(router.keys(CaseTopology.EXPIRY_STORE)).isEmpty();
        assertThat(router.keys(CaseTopology.CASES_STORE)).containsExactlyInAnyOrderElementsOf(open);
        assertThat(router.openCases).hasValue(OPEN);
        assertThat(router.closedCases).hasValue(0);
        assertThat(router.finals()).isEmpty();
    }
}
