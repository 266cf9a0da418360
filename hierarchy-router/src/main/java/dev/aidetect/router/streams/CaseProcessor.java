package dev.aidetect.router.streams;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.Rejection;
import dev.aidetect.schemas.Rejections;
import dev.aidetect.schemas.RouterCase;
import dev.aidetect.schemas.Stage;

/**
 * Keeps one case per image id and moves it on with every record: consumes {@link CaseEvent}s, forwards
 * {@code StageRequest}s and exactly one {@link FinalVerdict} per image. An image whose final is already on
 * verdicts.final (the read-back store) or was forwarded by this task (its closed marker) gets no case and no second
 * final, however late its records come. A wall-clock punctuator ends cases that waited longer than the stage timeout
 * and forgets closed markers past their retention once their final is read back. All times are the task's wall
 * clock, so the test driver controls them.
 *
 * <p>
 * Time the pipeline itself was down does not count against a case: after the task starts (the router's start, a
 * restart, a partition moving here, a task re-initialised after a broker outage) and after the punctuator was held up
 * longer than {@link #pauseThreshold} (the stream thread blocked on an unreachable broker, a stopped process), no case
 * times out until the stage timeout has passed again. So an outage becomes a delay, not a flood of TIMED_OUT finals
 * for cases whose records were on their way.
 */
final class CaseProcessor extends ContextualProcessor<String, CaseEvent, String, SpecificRecord> {
    private static final Logger LOG = Logger.getLogger(CaseProcessor.class);
    private static final long NOT_YET = Long.MIN_VALUE;

    private final RouterSettings settings;
    private final CaseRouter router;
    private final CaseObserver observer;
    private final Finals finals;
    private KeyValueStore<String, RouterCase> cases;
    private FinishedCases finished;
    private ReadBackFinals readBack;
    private long openCases;
    private long closedCases;
    /** When this task last (re)started or came back from a pause: no case times out before this + stage timeout. */
    private long resumedAt;
    /** When the punctuator last ran; {@link #NOT_YET} until it first runs after {@link #init}. */
    private long lastPunctuation;

    CaseProcessor(RouterSettings settings, CaseObserver observer) {
        this.settings = settings;
        this.router = new CaseRouter(settings);
        this.observer = observer;
        this.finals = new Finals(router);
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        super.init(context);
        cases = context.getStateStore(CaseTopology.CASES_STORE);
        finished = new FinishedCases(context.getStateStore(CaseTopology.FINISHED_STORE),
                context.getStateStore(CaseTopology.EXPIRY_STORE), settings.closedRetention().toMillis());
        readBack = new ReadBackFinals(context.getStateStore(CaseTopology.FINALS_STORE));
        try (KeyValueIterator<String, RouterCase> restored = cases.all()) {
            restored.forEachRemaining(entry -> openCases++);
        }
        observer.openCasesChanged(openCases);
        closedCases = finished.approximateSize();
        observer.closedCasesChanged(closedCases);
        // The task's clock is not read here (it may not be set yet in init): the first punctuation, one interval after
        // this, marks the (re)start.
        lastPunctuation = NOT_YET;
        context.schedule(settings.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void process(Record<String, CaseEvent> record) {
        String imageId = record.key();
        RouterCase c = cases.get(imageId);
        boolean stored = c != null;
        if (!stored && (finished.contains(imageId) || readBack.has(imageId))) {
            LOG.debugf("Ignoring %s for image %s: it has its final verdict", kind(record.value()), imageId);
            return;
        }
        long now = context().currentSystemTimeMs();
        if (!stored) {
            c = Cases.open(imageId, now);
        }
        if (record.value() instanceof CaseEvent.Rejected rejected) {
            Rejection rejection = Cases.rejection(c, rejected.rejection());
            finish(c, stored, finals.rejected(c, router.next(c).path(), rejection, now), now);
        } else if (Cases.apply(c, record.value())) {
            advance(c, stored, now);
        } else {
            LOG.debugf("Ignoring duplicated %s for image %s", kind(record.value()), imageId);
        }
    }

    @Override
    public void close() {
        observer.openCasesChanged(-openCases);
        observer.closedCasesChanged(-closedCases);
        openCases = 0;
        closedCases = 0;
    }

    private void advance(RouterCase c, boolean stored, long now) {
        switch (router.next(c)) {
            case CaseRouter.Decided decided -> finish(c, stored, finals.decided(c, decided.path(), now), now);
            case CaseRouter.Unroutable unroutable -> {
                LOG.warnf("Image %s cannot be routed on: %s", c.getImageId(), unroutable.problem());
                Rejection rejection = Rejections.rejection(Stage.ROUTING, unroutable.reason(), unroutable.problem());
                finish(c, stored, finals.rejected(c, unroutable.path(), rejection, now), now);
            }
            case CaseRouter.Waiting waiting -> {
                if (waiting.request()) {
                    context().forward(
                            new Record<>(c.getImageId(), Cases.request(c, waiting.stage(), router, settings, now),
                                    now));
                    Cases.markRequested(c, waiting.stage());
                }
                if (waiting.stage() != c.getWaitingFor()) {
                    c.setWaitingFor(waiting.stage());
                    c.setWaitingSince(Instant.ofEpochMilli(now));
                }
                cases.put(c.getImageId(), c);
                if (!stored) {
                    openCases++;
                    observer.openCasesChanged(1);
                    observer.caseOpened();
                }
            }
        }
    }

    private void finish(RouterCase c, boolean stored, FinalVerdict verdict, long now) {
        if (stored) {
            cases.delete(c.getImageId());
            openCases--;
            observer.openCasesChanged(-1);
        }
        if (readBack.has(c.getImageId())) {
            // Its final reached verdicts.final while this case was open: another router application on the same
            // topics, or a read-back that lagged behind a partition moving here. The first final stands.
            LOG.warnf("Not publishing a second final verdict (%s) for image %s: verdicts.final already has one",
                    verdict.getStatus(), c.getImageId());
            return;
        }
        context().forward(new Record<>(c.getImageId(), verdict, now));
        finished.add(verdict);
        closedCasesChanged(1);
        observer.finalized(verdict);
    }

    /**
     * A punctuation this much later than the last one means the task was held up, not idle: five intervals, at least
     * 5 s (a long batch or a garbage collection stays below it).
     */
    static long pauseThreshold(RouterSettings settings) {
        return Math.max(settings.punctuateInterval().multipliedBy(5).toMillis(), 5_000);
    }

    private void punctuate(long now) {
        if (lastPunctuation == NOT_YET) {
            resumedAt = now - settings.punctuateInterval().toMillis();
            if (openCases > 0) {
                LOG.infof("Task %s started with %d open cases: none times out before %s", context().taskId(),
                        openCases, Instant.ofEpochMilli(resumedAt).plus(settings.stageTimeout()));
            }
        } else if (now - lastPunctuation > pauseThreshold(settings)) {
            resumedAt = now;
            LOG.infof("Task %s was held up for %d ms (broker unreachable, or the process paused): its %d open cases"
                    + " get the stage timeout again from now", context().taskId(), now - lastPunctuation, openCases);
        }
        lastPunctuation = now;
        if (now - resumedAt >= settings.stageTimeout().toMillis()) {
            expire(now);
        }
        closedCasesChanged(-finished.purge(now, readBack::has));
    }

    private void expire(long now) {
        long timeout = settings.stageTimeout().toMillis();
        List<RouterCase> expired = new ArrayList<>();
        try (KeyValueIterator<String, RouterCase> all = cases.all()) {
            all.forEachRemaining(entry -> {
                if (now - entry.value.getWaitingSince().toEpochMilli() >= timeout) {
                    expired.add(entry.value);
                }
            });
        }
        for (RouterCase c : expired) {
            LOG.debugf("Image %s timed out waiting for %s", c.getImageId(), c.getWaitingFor());
            finish(c, true, finals.timedOut(c, router.next(c).path(), c.getWaitingFor(), now), now);
        }
    }

    private void closedCasesChanged(long delta) {
        closedCases += delta;
        observer.closedCasesChanged(delta);
    }

    private static String kind(CaseEvent event) {
        return switch (event) {
            case CaseEvent.Submitted s -> "submission";
            case CaseEvent.Embedded e -> "embedding";
            case CaseEvent.Rejected r -> "rejection";
            case CaseEvent.Verdict v -> v.stage() + " verdict";
        };
    }
}
