package dev.aidetect.tools.chaos;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;

/**
 * What a chaos run found: the final verdicts of every submitted id as a {@code read_committed} consumer reads them
 * afterwards, each kill's recovery, and the rate of final verdicts before, during and after the kills.
 *
 * @param ids every submitted image id
 * @param verdicts the committed final verdicts of those ids
 * @param streamDuplicates second final verdicts the run saw while it read them live
 * @param recoveries each kill, in order
 * @param phases final verdicts per second before, during and after the kills
 * @param phoneImages how many of the images were phone-size
 */
public record ChaosOutcome(List<String> ids, Map<String, List<FinalVerdict>> verdicts, int streamDuplicates,
        List<Recovery> recoveries, List<Phase> phases, int phoneImages) {

    /**
     * A kill as it happened.
     *
     * @param atSeconds seconds into the run
     * @param finalsAtKill final verdicts so far
     * @param killedAt when it was killed (the clock records are stamped with)
     * @param killedNanos when it was killed (nanoTime)
     * @param readyNanos when it was ready again (nanoTime)
     */
    public record KillResult(ChaosPlan.Kill kill, double atSeconds, int finalsAtKill, Instant killedAt,
            long killedNanos, long readyNanos) {
    }

    /**
     * @param ready kill to readiness (a service's health check, the broker's ready line)
     * @param nextOutput kill to the restarted component's first output record (null: none came)
     */
    public record Recovery(KillResult kill, Duration ready, Duration nextOutput) {
    }

    /** Final verdicts that arrived in a stretch of the run. */
    public record Phase(String name, int finals, double seconds) {
        public double rate() {
            return seconds <= 0 ? 0 : finals / seconds;
        }
    }

    public ChaosOutcome {
        ids = List.copyOf(ids);
        verdicts = Map.copyOf(verdicts);
        recoveries = List.copyOf(recoveries);
        phases = List.copyOf(phases);
    }

    /** Submitted ids without a committed final verdict. */
    public List<String> lost() {
        return ids.stream().filter(id -> !verdicts.containsKey(id)).toList();
    }

    /** Committed final verdicts beyond the first of an id, or those seen live, whichever is more. */
    public int duplicates() {
        int committed = verdicts.values().stream().mapToInt(v -> v.size() - 1).sum();
        return Math.max(committed, streamDuplicates);
    }

    /** Ids whose (first) final verdict is {@code TIMED_OUT}: a request the pipeline lost, given a long stage timeout. */
    public List<String> timedOut() {
        return ids.stream().filter(id -> verdicts.containsKey(id)
                && verdicts.get(id).getFirst().getStatus() == FinalStatus.TIMED_OUT).toList();
    }

    /** The invariant: exactly one final verdict per id, none lost, none twice, none timed out. */
    public boolean holds() {
        return lost().isEmpty() && duplicates() == 0 && timedOut().isEmpty();
    }

    /** The run's table: kills per component, each recovery, the rates, and the invariant's figures. */
    public void print(PrintWriter out) {
        Map<ChaosPlan.Target, Integer> perTarget = new EnumMap<>(ChaosPlan.Target.class);
        recoveries.forEach(r -> perTarget.merge(r.kill().kill().target(), 1, Integer::sum));
        out.println();
        out.print("kills per component:");
        perTarget.forEach((target, n) -> out.printf(" %s %d", target.label(), n));
        out.println();
        out.println("| # | component | at s | finals then | kill -> ready s | kill -> next output s |");
        out.println("| --- | --- | --- | --- | --- | --- |");
        for (Recovery r : recoveries) {
            out.printf(Locale.ROOT, "| %d | %s | %.1f | %d | %.1f | %s |%n", r.kill().kill().number(),
                    r.kill().kill().target().label(), r.kill().atSeconds(), r.kill().finalsAtKill(),
                    r.ready().toMillis() / 1e3,
                    r.nextOutput() == null ? "-" : String.format(Locale.ROOT, "%.1f", r.nextOutput().toMillis() / 1e3));
        }
        out.println();
        out.println("| phase | final verdicts | seconds | img/s |");
        out.println("| --- | --- | --- | --- |");
        for (Phase phase : phases) {
            out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f |%n", phase.name(), phase.finals(), phase.seconds(),
                    phase.rate());
        }
        Map<FinalStatus, Integer> statuses = new TreeMap<>();
        verdicts.values().forEach(v -> statuses.merge(v.getFirst().getStatus(), 1, Integer::sum));
        out.println();
        out.printf("invariant %s: %d images submitted (%d phone-size), %d with a final verdict %s; %d lost, "
                + "%d duplicates, %d TIMED_OUT%n", holds() ? "holds" : "BROKEN", ids.size(), phoneImages,
                verdicts.size(), statuses, lost().size(), duplicates(), timedOut().size());
        if (!lost().isEmpty()) {
            out.println("  lost (first 10): " + lost().subList(0, Math.min(10, lost().size())));
        }
        if (!timedOut().isEmpty()) {
            out.println("  timed out (first 10): " + timedOut().subList(0, Math.min(10, timedOut().size())));
        }
        // A rejection is a legitimate final verdict, but in a run of valid images each one says why it happened.
        List<FinalVerdict> rejected = verdicts.values().stream().map(List::getFirst)
                .filter(v -> v.getStatus() == FinalStatus.REJECTED && v.getRejection() != null).limit(10).toList();
        for (FinalVerdict v : rejected) {
            out.printf("  rejected %s at %s: %s, %s%n", v.getImageId(), v.getRejection().getStage(),
                    v.getRejection().getReason(), v.getRejection().getMessage());
        }
        out.flush();
    }
}
