package dev.aidetect.router.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.aidetect.router.config.RouterConfig;
import dev.aidetect.router.domain.VerdictFilter;
import dev.aidetect.router.streams.CaseObserver;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.Rejection;
import dev.aidetect.schemas.StageVerdict;

/**
 * The router's dashboard figures: {@code aidetect_router_finals_total} by status, authenticity, family, generator,
 * {@code waiting_for} (the stage a TIMED_OUT case waited for, else {@code none}), {@code reason} and
 * {@code rejected_by} (a REJECTED case's reason and the stage that refused it, the router's own ROUTING included, else
 * {@code none}), {@code source} and {@code run} (the submission's source and {@code run} attribute, {@code none} when
 * absent; each tag keeps only the values seen most recently, {@link RouterConfig#metricsSources()} and
 * {@link RouterConfig#metricsRuns()}, and drops the series of older ones, so uploaders cannot grow it without bound);
 * {@code aidetect_router_latency_seconds} end to end by status and {@code aidetect_router_stage_latency_seconds} by
 * stage, both as histograms for {@code histogram_quantile}; {@code aidetect_router_cases_opened_total};
 * {@code aidetect_router_cases_open} and {@code aidetect_router_cases_closed} (closed markers kept) on this instance.
 * Stream threads count what they process, so a transaction that aborts and is retried counts twice; the exactly-once
 * figures are the records on {@code verdicts.final}.
 */
@Singleton
public class RouterMetrics implements CaseObserver {
    private static final String NONE = "none";

    private final MeterRegistry registry;
    /** Held while a value is pushed out and its series removed, or a final counted: never half of either. */
    private final Object tagLock = new Object();
    private final RecentLabelValues sources;
    private final RecentLabelValues runs;
    private final AtomicLong openCases = new AtomicLong();
    private final AtomicLong closedCases = new AtomicLong();
    private final Counter opened;

    @Inject
    public RouterMetrics(MeterRegistry registry, RouterConfig config) {
        this(registry, config.metricsSources(), config.metricsRuns());
    }

    /** With the tag {@code source} keeping {@code sources} values and {@code run} keeping {@code runs}. */
    public RouterMetrics(MeterRegistry registry, int sources, int runs) {
        this.registry = registry;
        this.sources = new RecentLabelValues(sources);
        this.runs = new RecentLabelValues(runs);
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
        Rejection rejection = verdict.getRejection();
        synchronized (tagLock) {
            Counter.builder("aidetect.router.finals")
                    .description("Final verdicts published")
                    .tag("status", status)
                    .tag("authenticity", verdict.getAuthenticity().name())
                    .tag("family", orNone(verdict.getFamily()))
                    .tag("generator", orNone(verdict.getGenerator()))
                    .tag("waiting_for", timedOut ? verdict.getWaitingFor().name() : NONE)
                    .tag("reason", rejection == null ? NONE : rejection.getReason().name())
                    .tag("rejected_by", rejection == null ? NONE : rejection.getStage().name())
                    .tag("source", recent(sources, "source", verdict.getSource()))
                    .tag("run", recent(runs, "run", verdict.getAttributes().get(VerdictFilter.RUN_ATTRIBUTE)))
                    .register(registry)
                    .increment();
        }
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

    /**
     * {@code value} as the tag's value, {@code none} when absent; the series of a value it pushes out are removed (only
     * the finals counter has the tags {@code source} and {@code run}).
     */
    private String recent(RecentLabelValues values, String tag, String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        values.seen(value).ifPresent(old -> registry.getMeters().stream()
                .filter(meter -> old.equals(meter.getId().getTag(tag))).toList().forEach(registry::remove));
        return value;
    }

    private static String orNone(String value) {
        return value == null ? NONE : value;
    }
}
