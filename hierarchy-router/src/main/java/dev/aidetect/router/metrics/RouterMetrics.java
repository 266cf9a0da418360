package dev.aidetect.router.metrics;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.aidetect.router.streams.CaseObserver;
import dev.aidetect.schemas.FinalVerdict;

/**
 * The router's dashboard figures: {@code aidetect_router_finals_total} by status, authenticity, family and
 * generator; {@code aidetect_router_latency_seconds} end to end by status (cases whose submission was seen);
 * {@code aidetect_router_cases_open} on this instance.
 */
@Singleton
public class RouterMetrics implements CaseObserver {
    private static final String NONE = "none";

    private final MeterRegistry registry;
    private final AtomicLong openCases = new AtomicLong();

    public RouterMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("aidetect.router.cases.open", openCases, AtomicLong::get)
                .description("Cases this instance holds open, waiting for a stage")
                .register(registry);
    }

    @Override
    public void openCasesChanged(long delta) {
        openCases.addAndGet(delta);
    }

    @Override
    public void finalized(FinalVerdict verdict) {
        String status = verdict.getStatus().name();
        Counter.builder("aidetect.router.finals")
                .description("Final verdicts published")
                .tag("status", status)
                .tag("authenticity", verdict.getAuthenticity().name())
                .tag("family", orNone(verdict.getFamily()))
                .tag("generator", orNone(verdict.getGenerator()))
                .register(registry)
                .increment();
        if (verdict.getLatencyMillis() >= 0) {
            Timer.builder("aidetect.router.latency")
                    .description("Submission to final verdict")
                    .tag("status", status)
                    .register(registry)
                    .record(Duration.ofMillis(verdict.getLatencyMillis()));
        }
    }

    private static String orNone(String value) {
        return value == null ? NONE : value;
    }
}
