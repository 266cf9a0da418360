package dev.aidetect.router.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.aidetect.router.streams.CaseObserver;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.StageVerdict;

/**
 * The router's dashboard figures: {@code aidetect_router_finals_total} by status, authenticity, family, generator
 * and {@code waiting_for} (the stage a TIMED_OUT case waited for, else {@code none});
 * {@code aidetect_router_latency_seconds} end to end by status and {@code aidetect_router_stage_latency_seconds} by
 * stage, both as histograms for {@code histogram_quantile}; {@code aidetect_router_cases_opened_total}; {@code aidetect_router_cases_open} and
 * {@code aidetect_router_cases_closed} (closed markers kept) on this instance. Stream threads count what they process, so a transaction that aborts and is retried counts twice; the
 * exactly-once figures are the records on {@code verdicts.final}.
 */
@Singleton
public class RouterMetrics implements CaseObserver {
    private static final String NONE = "none";

    private final MeterRegistry registry;
    private final AtomicLong openCases = new AtomicLong();
    private final AtomicLong closedCases = new AtomicLong();
    private final Counter opened;

    public RouterMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("aidetect.router.cases.open", openCases, AtomicLong::get)
                .description("Cases this instance holds open, waiting for a stage")
                .register(registry);
        Gauge.builder("aidetect.router.cases.closed", closedCases, AtomicLong::get)
                .description("Finished cases this instance keeps for the closed retention (queries, late records)")
                .register(registry);
        this.opened = Counter.builder("aidetect.router.cases.opened")
                .description("Cases opened: submissions or early records stored to wait for a stage")
                .register(registry);
    }

    @Override
    public void openCasesChanged(long delta) {
        openCases.addAndGet(delta);
    }

    @Override
    public void closedCasesChanged(long delta) {
        closedCases.addAndGet(delta);
    }

    @Override
    public void caseOpened() {
        opened.increment();
    }

    @Override
    public void finalized(FinalVerdict verdict) {
        String status = verdict.getStatus().name();
        boolean timedOut = verdict.getStatus() == FinalStatus.TIMED_OUT && verdict.getWaitingFor() != null;
        Counter.builder("aidetect.router.finals")
                .description("Final verdicts published")
                .tag("status", status)
                .tag("authenticity", verdict.getAuthenticity().name())
                .tag("family", orNone(verdict.getFamily()))
                .tag("generator", orNone(verdict.getGenerator()))
                .tag("waiting_for", timedOut ? verdict.getWaitingFor().name() : NONE)
                .register(registry)
                .increment();
        if (verdict.getLatencyMillis() >= 0) {
            histogram("aidetect.router.latency", "Submission to final verdict", "status", status)
                    .record(Duration.ofMillis(verdict.getLatencyMillis()));
            recordStageLatencies(verdict);
        }
    }

    /**
     * Detection from the submission to its verdict; each later stage from the verdict before it (which made the router
     * send its request) to its own verdict.
     */
    private void recordStageLatencies(FinalVerdict verdict) {
        Instant previous = verdict.getSubmittedAt();
        for (StageVerdict stage : verdict.getPath()) {
            Duration took = Duration.between(previous, stage.getDecidedAt());
            if (!took.isNegative()) {
                histogram("aidetect.router.stage.latency", "Request (or submission) to stage verdict", "stage",
                        stage.getStage().name()).record(took);
            }
            previous = stage.getDecidedAt();
        }
    }

    private Timer histogram(String name, String description, String tag, String value) {
        return Timer.builder(name)
                .description(description)
                .tag(tag, value)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
    }

    private static String orNone(String value) {
        return value == null ? NONE : value;
    }
}
