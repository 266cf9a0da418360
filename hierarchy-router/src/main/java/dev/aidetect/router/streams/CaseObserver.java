package dev.aidetect.router.streams;

import dev.aidetect.schemas.FinalVerdict;

/**
 * Told what the case processors do, for metrics. Called from stream threads, so implementations are thread-safe and
 * quick. The default methods ignore everything.
 */
public interface CaseObserver {
    /** Ignores everything; for tests that do not look. */
    CaseObserver NONE = new CaseObserver() {
    };

    /** The number of open cases on this instance changed by {@code delta} (tasks assigned or revoked count too). */
    default void openCasesChanged(long delta) {
    }

    /**
     * The number of closed markers (finished cases kept until their final is read back and the closed retention has
     * passed) on this instance changed by {@code delta}; restored markers are counted approximately (the store's
     * estimate).
     */
    default void closedCasesChanged(long delta) {
    }

    /** A new case was stored open, waiting for its first stage (cases that end on their first record never open). */
    default void caseOpened() {
    }

    /** A case ended with {@code verdict}. */
    default void finalized(FinalVerdict verdict) {
    }
}
