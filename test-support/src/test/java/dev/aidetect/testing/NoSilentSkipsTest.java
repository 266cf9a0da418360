package dev.aidetect.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.opentest4j.TestAbortedException;

/** The extension as JUnit runs it: fixture classes executed by a nested Jupiter engine, their events checked. */
class NoSilentSkipsTest {
    private static final String AUTODETECTION = "junit.jupiter.extensions.autodetection.enabled";
    private static final String REASON = "libfoo is missing: apt-get install libfoo";

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

    @BeforeEach
    void noExtensionYet() {
        WithSkips.skips = null;
    }

    @Test
    void reportsAnAbortedTestAsSkippedWithOneLineWhenCiIsUnset() {
        WithSkips.skips = new NoSilentSkips(null, () -> errStream);

        EngineExecutionResults results = run(Aborting.class);

        results.testEvents().assertThatEvents().haveExactly(1, event(test("needsLibfoo"),
                abortedWithReason(instanceOf(TestAbortedException.class), message("Assumption failed: " + REASON))));
        assertThat(stderr()).isEqualTo("[skipped] Aborting#needsLibfoo: " + REASON + "\n");
    }

    @Test
    void failsAnAbortedTestWhenCiIsTrue() {
        WithSkips.skips = new NoSilentSkips("true", () -> errStream);

        EngineExecutionResults results = run(Aborting.class);

        results.testEvents().assertThatEvents().haveExactly(1, event(test("needsLibfoo"), finishedWithFailure(
                instanceOf(AssertionError.class),
                message("CI=true: Aborting#needsLibfoo must run here, but it skipped: " + REASON))));
        results.testEvents().assertStatistics(stats -> stats.aborted(0).failed(1));
        assertThat(stderr()).isEmpty();
    }

    @Test
    void namesTheClassAloneWhenBeforeAllAbortsAndFailsItUnderCi() {
        WithSkips.skips = new NoSilentSkips(null, () -> errStream);

        EngineExecutionResults skipped = run(AbortingBeforeAll.class);

        skipped.containerEvents().assertThatEvents().haveExactly(1,
                event(container(AbortingBeforeAll.class), abortedWithReason(instanceOf(TestAbortedException.class))));
        skipped.testEvents().assertStatistics(stats -> stats.started(0));
        assertThat(stderr()).isEqualTo("[skipped] AbortingBeforeAll: " + REASON + "\n");

        WithSkips.skips = new NoSilentSkips("TRUE", () -> errStream);

        EngineExecutionResults failed = run(AbortingBeforeAll.class);

        failed.containerEvents().assertThatEvents().haveExactly(1, event(container(AbortingBeforeAll.class),
                finishedWithFailure(instanceOf(AssertionError.class),
                        message("CI=true: AbortingBeforeAll must run here, but it skipped: " + REASON))));
    }

    @Test
    void printsOneLineForAnAbortInBeforeEach() {
        WithSkips.skips = new NoSilentSkips("false", () -> errStream);

        EngineExecutionResults results = run(AbortingBeforeEach.class);

        results.testEvents().assertStatistics(stats -> stats.aborted(1).failed(0));
        assertThat(stderr()).isEqualTo("[skipped] AbortingBeforeEach#runs: " + REASON + "\n");
    }

    @Test
    void passesAnOrdinaryFailureThroughUntouchedWithOrWithoutCi() {
        for (String ci : new String[]{null, "true"}) {
            WithSkips.skips = new NoSilentSkips(ci, () -> errStream);

            EngineExecutionResults results = run(Failing.class);

            results.testEvents().assertThatEvents().haveExactly(1, event(test("fails"),
                    finishedWithFailure(instanceOf(AssertionError.class), message("a real failure"))));
            results.testEvents().assertStatistics(stats -> stats.aborted(0).failed(1).succeeded(0));
        }
        assertThat(stderr()).isEmpty();
    }

    /** The service entry in this jar is what puts the extension on every test of every module. */
    @Test
    void isAppliedToAnUnannotatedTestByAutodetection() {
        PrintStream saved = System.err;
        EngineExecutionResults results;
        System.setErr(errStream);
        try {
            results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(Unannotated.class))
                    .configurationParameter(AUTODETECTION, "true").execute();
        } finally {
            System.setErr(saved);
        }

        // This JVM's own CI decides which of the two the autodetected instance does; either shows it ran.
        if (Boolean.parseBoolean(System.getenv("CI"))) {
            results.testEvents().assertStatistics(stats -> stats.failed(1).aborted(0));
        } else {
            results.testEvents().assertStatistics(stats -> stats.aborted(1).failed(0));
            assertThat(stderr()).isEqualTo("[skipped] Unannotated#needsLibfoo: " + REASON + "\n");
        }
    }

    private static EngineExecutionResults run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture))
                .configurationParameter(AUTODETECTION, "false").execute();
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Fixtures below run only inside the nested engine; each test sets the extension they register. */
    abstract static class WithSkips {
        @RegisterExtension
        static NoSilentSkips skips;
    }

    static class Aborting extends WithSkips {
        @Test
        void needsLibfoo() {
            Prerequisites.require(false, "libfoo", "apt-get install libfoo");
        }
    }

    static class AbortingBeforeAll extends WithSkips {
        @BeforeAll
        static void needsLibfoo() {
            Prerequisites.require(false, "libfoo", "apt-get install libfoo");
        }

        @Test
        void runs() {
        }
    }

    static class AbortingBeforeEach extends WithSkips {
        @BeforeEach
        void needsLibfoo() {
            Prerequisites.require(false, "libfoo", "apt-get install libfoo");
        }

        @Test
        void runs() {
        }
    }

    static class Failing extends WithSkips {
        @Test
        void fails() {
            throw new AssertionError("a real failure");
        }
    }

    static class Unannotated {
        @Test
        void needsLibfoo() {
            Prerequisites.require(false, "libfoo", "apt-get install libfoo");
        }
    }
}
