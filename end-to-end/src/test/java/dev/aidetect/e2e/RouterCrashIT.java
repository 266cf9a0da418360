package dev.aidetect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.tools.dataset.LabelledImage;
import dev.aidetect.tools.stack.StackService;
import dev.aidetect.tools.submit.Submitter;
import dev.aidetect.tools.submit.VerdictReport;

/**
 * Kills the router process (SIGKILL, no clean close) while images are flowing, restarts it on the same port and state
 * directory, and keeps submitting while it restarts. With {@code exactly_once_v2} every image must still end in
 * exactly one final verdict as a {@code read_committed} consumer sees them: none lost with the killed transaction, none
 * published twice when the restarted instance reprocesses it.
 */
@ExtendWith(RunningPipeline.Provider.class)
class RouterCrashIT {
    private static final int BURSTS = 5;
    private static final int PER_BURST = 30;
    private static final int BEFORE_KILL = 1;
    private static final int KILL_AFTER_FINALS = 10;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void everyImageStillEndsInExactlyOneCommittedFinalVerdictWhenTheRouterIsKilledMidStream(RunningPipeline pipeline)
            throws Exception {
        // given 150 images in five bursts: the first sent, the others following two seconds apart
        List<LabelledImage> images = LabelledImage.collect(List.of(pipeline.samples()));
        List<List<LabelledImage>> bursts = new ArrayList<>();
        for (int i = 0; i < BURSTS; i++) {
            bursts.add(images.subList(i * PER_BURST, (i + 1) * PER_BURST));
        }
        Map<String, LabelledImage> sent = new LinkedHashMap<>();
        Map<String, List<FinalVerdict>> verdicts;
        Instant killedAt;
        Duration restart;
        try (Submitter submitter = new Submitter(pipeline.stack().bootstrapServers(), "crash-test");
                ExecutorService sender = Executors.newSingleThreadExecutor()) {
            for (int i = 0; i < BEFORE_KILL; i++) {
                sent.putAll(submitted(submitter, bursts.get(i)));
            }
            Future<Map<String, LabelledImage>> later = sender.submit(() -> submitLater(submitter, bursts));

            // when the router is killed once it has finished some while the bursts keep arriving, through its restart
            int port = pipeline.stack().port(StackService.ROUTER);
            List<String> first = List.copyOf(sent.keySet());
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                    .until(() -> finishedOnRouter(port, first) >= KILL_AFTER_FINALS);
            killedAt = Instant.now();
            pipeline.stack().crashAndRestart(StackService.ROUTER);
            restart = Duration.between(killedAt, Instant.now());
            sent.putAll(later.get(2, TimeUnit.MINUTES));
            verdicts = submitter.await(sent.keySet(), Duration.ofMinutes(3), Duration.ofSeconds(10), v -> {
            });
        }

        // then every image has exactly one committed final verdict
        new VerdictReport(new PrintWriter(System.out, true)).summary(verdicts);
        List<Instant> finalized = verdicts.values().stream().flatMap(List::stream).map(FinalVerdict::getFinalizedAt)
                .sorted().toList();
        long beforeKill = finalized.stream().filter(t -> t.isBefore(killedAt)).count();
        System.out.printf("router crash: %d images, %d finals before the kill, restart (kill to ready) %d ms,"
                + " last final %d ms after the kill, %d finals in all%n", sent.size(), beforeKill,
                restart.toMillis(),
                finalized.isEmpty() ? -1 : Duration.between(killedAt, finalized.getLast()).toMillis(),
                finalized.size());
        // The kill came once the router had finished KILL_AFTER_FINALS cases (its state store, which shows a
        // transaction's writes before they commit); the finals of the transaction the kill aborted are written again
        // after the restart, so fewer may be committed before the kill (8 of 10 in one CI run). Mid-stream means
        // cases were still open.
        assertThat(beforeKill).as("the kill came mid-stream: cases were still open").isLessThan(BURSTS * PER_BURST);
        assertThat(sent).hasSize(BURSTS * PER_BURST);
        FinalVerdicts.assertExactlyOneEach(sent.keySet(), verdicts);
        assertThat(pipeline.routerStateDir()).as("router state survives the kill").isNotEmptyDirectory();
    }

    /** How many of {@code ids} the router answers with a final verdict on {@code GET /verdicts/{id}}. */
    private static long finishedOnRouter(int port, Collection<String> ids) throws Exception {
        long finished = 0;
        for (String id : ids) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/verdicts/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200 && !response.body().contains("\"status\":\"PENDING\"")) {
                finished++;
            }
        }
        return finished;
    }

    private static Map<String, LabelledImage> submitLater(Submitter submitter, List<List<LabelledImage>> bursts)
            throws InterruptedException {
        Map<String, LabelledImage> sent = new LinkedHashMap<>();
        for (int i = BEFORE_KILL; i < bursts.size(); i++) {
            sent.putAll(submitted(submitter, bursts.get(i)));
            Thread.sleep(2_000);
        }
        return sent;
    }

    private static Map<String, LabelledImage> submitted(Submitter submitter, List<LabelledImage> burst) {
        Submitter.Submission submission = submitter.submit(burst);
        assertThat(submission.refused()).as("images the broker refused").isEmpty();
        return submission.sent();
    }
}
