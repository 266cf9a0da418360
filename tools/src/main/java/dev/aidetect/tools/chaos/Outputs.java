package dev.aidetect.tools.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.aidetect.schemas.Topics;
import dev.aidetect.tools.chaos.ChaosPlan.Target;

/**
 * When records arrived on the topics a chaos run watches (the run's feed thread writes, and reads once it is done):
 * each component's next output after its restart, and the final verdicts' rate before, during and after the kills.
 */
final class Outputs {
    /** A record's arrival here (nanoTime) and its timestamp (epoch ms). */
    private record Arrival(long nanos, long timestamp) {
    }

    /** Arrivals per topic, in order. */
    private final Map<String, List<Arrival>> arrivals = new HashMap<>();

    void arrived(String topic, long nanos, long timestamp) {
        arrivals.computeIfAbsent(topic, t -> new ArrayList<>()).add(new Arrival(nanos, timestamp));
    }

    /**
     * When the restarted component's first output arrived, or -1. The embedder's and the classifier's producers stamp
     * a record when they send it, so a record stamped after the kill is the new process's, even one sent before its
     * health check said ready. The router's records carry their input's time (Kafka Streams' rule) and the broker has
     * no output of its own: for them it is the first final verdict after the component was ready (the killed router's
     * uncommitted verdicts are never read; committed ones arrived before it was ready again).
     */
    long nextOutput(ChaosOutcome.KillResult kill) {
        Target target = kill.kill().target();
        boolean stamped = target == Target.EMBEDDER || target == Target.CLASSIFIER;
        for (Arrival at : arrivals.getOrDefault(ChaosRun.outputOf(target), List.of())) {
            if (stamped ? at.timestamp() >= kill.killedAt().toEpochMilli() : at.nanos() >= kill.readyNanos()) {
                return at.nanos();
            }
        }
        return -1;
    }

    /** Each kill with the time to its component's readiness and to its next output ({@link #nextOutput}). */
    List<ChaosOutcome.Recovery> recoveries(List<ChaosOutcome.KillResult> kills) {
        List<ChaosOutcome.Recovery> recoveries = new ArrayList<>();
        for (ChaosOutcome.KillResult kill : kills) {
            long next = nextOutput(kill);
            recoveries.add(new ChaosOutcome.Recovery(kill, Duration.ofNanos(kill.readyNanos() - kill.killedNanos()),
                    next < 0 ? null : Duration.ofNanos(next - kill.killedNanos())));
        }
        return recoveries;
    }

    /**
     * Final verdicts per second before the first kill, from it to the last component's recovery (its next output, or
     * its readiness when none came), and after that to the last final verdict (counted in: the end is exclusive).
     */
    List<ChaosOutcome.Phase> phases(long start, List<ChaosOutcome.Recovery> recoveries, long lastFinal) {
        List<Long> finals = arrivals.getOrDefault(Topics.FINAL.name(), List.of()).stream().map(Arrival::nanos)
                .toList();
        if (recoveries.isEmpty()) {
            return List.of(phase("before", finals, start, lastFinal + 1));
        }
        long firstKill = recoveries.getFirst().kill().killedNanos();
        long lastBack = recoveries.stream().mapToLong(r -> r.kill().killedNanos()
                + (r.nextOutput() != null ? r.nextOutput() : r.ready()).toNanos()).max().orElse(firstKill);
        return List.of(phase("before", finals, start, firstKill), phase("during", finals, firstKill, lastBack),
                phase("after", finals, lastBack, Math.max(lastBack, lastFinal + 1)));
    }

    private static ChaosOutcome.Phase phase(String name, List<Long> finals, long from, long to) {
        int count = (int) finals.stream().filter(at -> at >= from && at < to).count();
        return new ChaosOutcome.Phase(name, count, (to - from) / 1e9);
    }
}
