package dev.aidetect.router.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import dev.aidetect.schemas.Stage;

/** How the router runs its cases ({@code aidetect.router.*}; env {@code AIDETECT_ROUTER_*}). */
@ConfigMapping(prefix = "aidetect.router")
public interface RouterConfig {
    /** Default of {@link #uncertainBand()}; also what {@code CaseRunner.withServiceDefaults()} routes with. */
    String DEFAULT_UNCERTAIN_BAND = "0.05";

    /** Stages a case runs through: DETECTION, DETECTION,FAMILY, DETECTION,ATTRIBUTION or all three, in that order. */
    @WithDefault("DETECTION,FAMILY,ATTRIBUTION")
    List<Stage> stages();

    /** With stages DETECTION,ATTRIBUTION: the family (gan, diffusion) whose attribution stage FAKE images go to. */
    Optional<String> attributionFamily();

    /** How long a case may wait for one stage before it ends TIMED_OUT. */
    @WithDefault("60s")
    Duration stageTimeout();

    /** How often (wall clock) the router looks for timed-out cases and expired closed markers. */
    @WithDefault("1s")
    Duration punctuateInterval();

    /**
     * The least time a finished case's closed marker is kept, as the bridge until its final is read back from
     * verdicts.final (which then answers GET /verdicts/{id} and keeps late records out for the topic's lifetime).
     */
    @WithDefault("1h")
    Duration closedRetention();

    /**
     * How many events a slow GET /verdicts/stream client may fall behind, beyond a full replay, before its stream is
     * ended (it resumes with Last-Event-ID).
     */
    @WithDefault("1000")
    int streamBuffer();

    /**
     * How many recent final verdicts GET /verdicts/stream keeps (read back from verdicts.final at start-up) for clients
     * that resume with Last-Event-ID.
     */
    @WithDefault("10000")
    int streamReplay();

    /** How long GET /verdicts/{id} waits for the instance that owns the case when it forwards the request there. */
    @WithDefault("2s")
    Duration forwardTimeout();

    /** Whether the family request carries the reference to the submitted image too (a family stage on pixels). */
    @WithDefault("false")
    boolean familyRequestImage();

    /**
     * Half-width of the band around the detection threshold in which a case ends DECIDED with authenticity UNCERTAIN
     * right after detection (no family or generator): a detection score strictly within threshold ± band. 0 turns it
     * off; below 0.5.
     */
    @WithDefault(DEFAULT_UNCERTAIN_BAND)
    double uncertainBand();

    /**
     * How many submission sources the final verdict counter keeps as its {@code source} tag: the most recently seen;
     * an older one's series are dropped (sources are free text from uploaders, so the tag must stay bounded).
     */
    @WithDefault("20")
    int metricsSources();

    /**
     * How many runs (the submission attribute {@code run} that replays and evaluations set) the final verdict counter
     * keeps as its {@code run} tag: the most recently seen; an older run's series are dropped.
     */
    @WithDefault("10")
    int metricsRuns();

    /**
     * The largest request POST /images takes (413 beyond it): an image sent inline, with its multipart framing. At
     * most what images.ingest takes inline (ImageSubmissions.MAX_INLINE_BYTES) and below
     * quarkus.http.limits.max-body-size; checked at start-up.
     */
    @WithDefault("20M")
    MemorySize uploadLimit();

    /**
     * A file holding the bearer token POST /images then requires (401 without it); with neither this nor
     * upload-token set, uploads are open (the local run; a router behind an authenticating proxy). Env
     * AIDETECT_ROUTER_UPLOAD_TOKEN_FILE.
     */
    Optional<Path> uploadTokenFile();

    /** The upload token itself; env AIDETECT_ROUTER_UPLOAD_TOKEN only: never write it into a properties file. */
    Optional<String> uploadToken();
}
