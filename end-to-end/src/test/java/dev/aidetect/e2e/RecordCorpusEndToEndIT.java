package dev.aidetect.e2e;

import static dev.aidetect.e2e.RecordCorpus.AVRO;
import static dev.aidetect.e2e.RecordCorpus.CLASSIFIER;
import static dev.aidetect.e2e.RecordCorpus.CORPUS_MODEL;
import static dev.aidetect.e2e.RecordCorpus.EMBEDDER;
import static dev.aidetect.e2e.RecordCorpus.ROUTER;
import static dev.aidetect.e2e.RecordCorpus.SERVICES;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.aidetect.e2e.RecordCorpus.Case;
import dev.aidetect.e2e.RecordCorpus.Decided;
import dev.aidetect.e2e.RecordCorpus.Ending;
import dev.aidetect.e2e.RecordCorpus.NoFinal;
import dev.aidetect.e2e.RecordCorpus.NoSecondFinal;
import dev.aidetect.e2e.RecordCorpus.Rejected;
import dev.aidetect.e2e.RecordCorpus.Seed;
import dev.aidetect.e2e.RecordCorpus.Send;
import dev.aidetect.e2e.RecordCorpus.TimedOut;
import dev.aidetect.e2e.RecordCorpus.Trail;
import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageReceived;
import dev.aidetect.schemas.ImageRef;
import dev.aidetect.schemas.ImageSubmissions;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageVerdict;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.DeadLetter;
import dev.aidetect.tools.dataset.LabelledImage;
import dev.aidetect.tools.submit.Submitter;
import dev.aidetect.tools.train.TopicReplay;

/**
 * The record-level bad-input corpus (issue 16) through the packaged pipeline: duplicated, replayed, out-of-order,
 * malformed-vector and undecodable records on every topic a service reads, each ending in the one outcome its row
 * names, never a crash and never a second final verdict. The corpus is the table in {@link RecordCorpus#corpus}.
 *
 * <p>
 * Seeds first: nine fakes submitted and finished, whose records (receipt, embedding, claim check) the corpus copies
 * and replays after their final verdict. Then the corpus, then an ordinary real and fake image: every service still
 * judges them. Runs about two minutes, most of it the router's 90 s stage timeout for the two cases that must time
 * out.
 */
@ExtendWith(RunningPipeline.Provider.class)
class RecordCorpusEndToEndIT {
    private static final String SOURCE = "record-corpus";

    @Test
    void everyRecordOfTheCorpusEndsAsItsRowSaysAndTheServicesStillJudgeAnOrdinaryImage(RunningPipeline pipeline)
            throws Exception {
        String kafka = pipeline.stack().bootstrapServers();
        Path samples = pipeline.samples();
        Path logs = pipeline.workDir().resolve("logs");
        Map<String, Long> logStarts = new HashMap<>();
        for (String service : SERVICES) {
            logStarts.put(service, Files.size(logs.resolve(service + ".log")));
        }
        List<LabelledImage> fakes = LabelledImage.collect(List.of(samples.resolve("fake")));
        Path real = LabelledImage.collect(List.of(samples.resolve("real"))).getFirst().file();
        Instant started = Instant.now();
        try (Submitter submitter = new Submitter(kafka, SOURCE)) {
            // Given nine fakes, finished, whose records the corpus copies and replays.
            List<Path> seedFiles = IntStream.range(0, 9).mapToObj(i -> fakes.get(i * fakes.size() / 9).file())
                    .toList();
            Map<String, ImageSubmitted> submissions = new LinkedHashMap<>();
            Map<String, Path> seedFile = new HashMap<>();
            for (Path file : seedFiles) {
                ImageSubmitted submission = submissionOf(file);
                submissions.put(submission.getImageId(), submission);
                seedFile.put(submission.getImageId(), file);
                RawIngest.send(kafka, Topics.INGEST.name(), submission.getImageId(),
                        AVRO.serialize(Topics.INGEST.name(), submission));
            }
            Map<String, List<FinalVerdict>> seedFinals = submitter.await(submissions.keySet(), Duration.ofMinutes(2),
                    Duration.ZERO, v -> {
                    });
            FinalVerdicts.assertExactlyOneEach(submissions.keySet(), seedFinals);
            Map<String, ImageReceived> receipts = new HashMap<>();
            new TopicReplay<>(kafka, Topics.RECEIVED.name(), Topics.RECEIVED).replay(r -> {
                if (submissions.containsKey(r.getImageId())) {
                    receipts.putIfAbsent(r.getImageId(), r);
                }
            }, total -> read -> {
            });
            Map<String, ImageEmbedding> embeddings = new HashMap<>();
            new TopicReplay<>(kafka, Topics.EMBEDDED.name(), Topics.EMBEDDED).replay(e -> {
                if (submissions.containsKey(e.getImageId())) {
                    embeddings.putIfAbsent(e.getImageId(), e);
                }
            }, total -> read -> {
            });
            List<Seed> seeds = submissions.keySet().stream().map(id -> new Seed(id, seedFile.get(id),
                    submissions.get(id), receipts.get(id), embeddings.get(id), seedFinals.get(id).getFirst()))
                    .toList();
            assertThat(seeds).as("every seed's receipt and embedding")
                    .allSatisfy(s -> assertThat(s.receipt()).isNotNull())
                    .allSatisfy(s -> assertThat(s.embedding()).isNotNull());
            Seed template = seeds.stream().filter(s -> s.verdict().getStatus() == FinalStatus.DECIDED
                    && s.verdict().getAuthenticity() == Authenticity.FAKE && s.verdict().getFamily() != null)
                    .findFirst().orElseThrow(() -> new AssertionError("no seed was decided FAKE along the hierarchy"
                            + " (the corpus needs one to copy): " + seedFinals));

            // When the corpus is sent, then an ordinary real and fake image.
            List<Case> cases = RecordCorpus.corpus(template, seeds);
            Map<Send, RecordMetadata> placed = new IdentityHashMap<>();
            int sent = 0;
            for (Case c : cases) {
                ImageRef submitted = null;
                for (Send send : c.sends()) {
                    byte[] value = send.claiming() == null ? send.value() : send.claiming().apply(submitted);
                    RecordMetadata at = RawIngest.send(kafka, send.topic(), send.key(), value);
                    placed.put(send, at);
                    sent++;
                    if (send.topic().equals(Topics.INGEST.name()) && value != null) {
                        submitted = ImageRef.newBuilder(template.receipt().getOriginal()).setTopic(at.topic())
                                .setPartition(at.partition()).setOffset(at.offset()).build();
                    }
                }
            }
            String ordinaryReal = submit(kafka, real);
            String ordinaryFake = submit(kafka, template.file());
            List<String> awaited = new ArrayList<>(cases.stream()
                    .filter(c -> !(c.ending() instanceof NoSecondFinal) && !(c.ending() instanceof NoFinal))
                    .map(Case::imageId).toList());
            awaited.add(ordinaryReal);
            awaited.add(ordinaryFake);
            Map<String, List<FinalVerdict>> finals = submitter.await(awaited, Duration.ofMinutes(3),
                    Duration.ofSeconds(5), v -> {
                    });

            // Then every row ends as it says, with exactly one final per image id.
            Map<String, Integer> finalsOnTopic = new HashMap<>();
            new TopicReplay<>(kafka, Topics.FINAL.name(), Topics.FINAL)
                    .replay(v -> finalsOnTopic.merge(v.getImageId(), 1, Integer::sum), total -> read -> {
                    });
            Map<String, Set<String>> deadLetters = new HashMap<>();
            for (String service : List.of("embedder", "classifier", "router")) {
                Set<String> origins = new java.util.HashSet<>();
                new TopicReplay<>(kafka, DeadLetter.topicOf(service), Topics.EMBEDDER_DEAD_LETTERS)
                        .records(r -> origins.add(DeadLetter.text(r.headers(), DeadLetter.TOPIC).orElse("?") + "-"
                                + DeadLetter.text(r.headers(), DeadLetter.PARTITION).orElse("?") + "@"
                                + DeadLetter.text(r.headers(), DeadLetter.OFFSET).orElse("?")), total -> read -> {
                                });
                deadLetters.put(serviceOf(service), origins);
            }
            Map<String, String> logged = new HashMap<>();
            for (String service : SERVICES) {
                logged.put(service, appended(logs.resolve(service + ".log"), logStarts.get(service)));
            }

            List<String> failures = new ArrayList<>();
            System.out.printf("%d records of %d cases in %d s%n", sent, cases.size(),
                    Duration.between(started, Instant.now()).toSeconds());
            System.out.printf("  %-40s %-36s %-60s %-28s %s%n", "case", "topic", "made", "expected", "got");
            for (Case c : cases) {
                List<FinalVerdict> verdicts = finals.getOrDefault(c.imageId(), List.of());
                int onTopic = finalsOnTopic.getOrDefault(c.imageId(), 0);
                String got = describe(verdicts, onTopic);
                List<String> problems = new ArrayList<>(check(c, verdicts, onTopic));
                if (c.trail() != null) {
                    problems.addAll(checkTrail(c.trail(), placed.get(c.sends().getFirst()), deadLetters, logged));
                }
                System.out.printf("  %-40s %-36s %-60s %-28s %s%s%n", c.name(), c.topic(), c.made(),
                        expected(c.ending()), got, problems.isEmpty() ? "" : "   <-- " + problems);
                problems.forEach(p -> failures.add(c.name() + " on " + c.topic() + ": " + p));
            }
            for (String service : SERVICES) {
                List<String> traces = logged.get(service).lines()
                        .filter(line -> line.startsWith("\tat ") || line.startsWith("Caused by")).toList();
                if (!traces.isEmpty()) {
                    failures.add(service + " logged a stack trace during the corpus: " + traces.getFirst());
                }
            }
            assertThat(failures).as("cases that did not end as their row says").isEmpty();

            // And every service still judges an ordinary image: the real one after detection, the fake one along
            // detection, family and attribution.
            FinalVerdicts.assertExactlyOneEach(List.of(ordinaryReal, ordinaryFake), finals);
            assertThat(finals.get(ordinaryReal).getFirst().getStatus()).isEqualTo(FinalStatus.DECIDED);
            FinalVerdict fake = finals.get(ordinaryFake).getFirst();
            assertThat(fake.getStatus()).isEqualTo(FinalStatus.DECIDED);
            assertThat(fake.getPath()).extracting(StageVerdict::getStage)
                    .containsExactly(Stage.DETECTION, Stage.FAMILY, Stage.ATTRIBUTION);
        }
    }

    /** What is wrong with a case's finals: those the live consumer saw and those on the topic at the end. */
    private static List<String> check(Case c, List<FinalVerdict> verdicts, int onTopic) {
        List<String> problems = new ArrayList<>();
        int wanted = c.ending() instanceof NoFinal ? 0 : 1;
        if (onTopic != wanted) {
            problems.add(onTopic + " finals on verdicts.final, not " + wanted);
        }
        if (c.ending() instanceof NoFinal || c.ending() instanceof NoSecondFinal) {
            return problems;
        }
        if (verdicts.size() != 1) {
            problems.add(verdicts.size() + " finals seen, not 1");
            return problems;
        }
        FinalVerdict v = verdicts.getFirst();
        switch (c.ending()) {
            case Decided(Stage crafted) -> {
                if (v.getStatus() != FinalStatus.DECIDED) {
                    problems.add("not DECIDED");
                } else if (crafted != null && v.getPath().stream().noneMatch(s -> s.getStage() == crafted
                        && s.getModel().getId().equals(CORPUS_MODEL))) {
                    problems.add("the corpus's " + crafted + " verdict is not on the path");
                }
            }
            case Rejected(RejectReason reason) -> {
                if (v.getStatus() != FinalStatus.REJECTED || v.getRejection().getReason() != reason) {
                    problems.add("not REJECTED " + reason);
                } else if (v.getRejection().getMessage() == null || v.getRejection().getMessage().isBlank()) {
                    problems.add("no message");
                }
            }
            case TimedOut(Stage waitingFor) -> {
                if (v.getStatus() != FinalStatus.TIMED_OUT || v.getWaitingFor() != waitingFor) {
                    problems.add("not TIMED_OUT waiting for " + waitingFor);
                }
            }
            default -> throw new IllegalStateException("unchecked ending " + c.ending());
        }
        return problems;
    }

    /** What is wrong with an undecodable record's dead letters and log lines. */
    private static List<String> checkTrail(Trail trail, RecordMetadata at, Map<String, Set<String>> deadLetters,
            Map<String, String> logged) {
        List<String> problems = new ArrayList<>();
        String where = at.topic() + "-" + at.partition() + "@" + at.offset();
        Pattern line = Pattern.compile(Pattern.quote(where) + "(?!\\d)");
        for (String service : SERVICES) {
            boolean dead = deadLetters.getOrDefault(service, Set.of()).contains(where);
            if (dead != trail.deadLetteredBy().contains(service)) {
                problems.add(where + (dead ? " is" : " is not") + " a dead letter of " + service);
            }
            long lines = logged.get(service).lines().filter(l -> line.matcher(l).find()).count();
            long wanted = trail.loggedBy().contains(service) ? 1 : 0;
            if (lines != wanted) {
                problems.add(service + " logged " + lines + " lines naming " + where + ", not " + wanted);
            }
        }
        return problems;
    }

    private static String expected(Ending ending) {
        return switch (ending) {
            case Decided(Stage crafted) -> "DECIDED" + (crafted == null ? "" : " (ours at " + crafted + ")");
            case Rejected(RejectReason reason) -> "REJECTED " + reason;
            case TimedOut(Stage waitingFor) -> "TIMED_OUT at " + waitingFor;
            case NoSecondFinal() -> "no second final";
            case NoFinal() -> "no final";
        };
    }

    private static String describe(List<FinalVerdict> verdicts, int onTopic) {
        if (verdicts.isEmpty()) {
            return onTopic + " on topic";
        }
        FinalVerdict v = verdicts.getFirst();
        String what = switch (v.getStatus()) {
            case DECIDED -> "DECIDED " + v.getAuthenticity() + " " + v.getPath().stream()
                    .map(s -> s.getStage() + "=" + s.getDecision() + "/" + s.getModel().getId()).toList();
            case REJECTED -> "REJECTED " + v.getRejection().getReason() + " at " + v.getRejection().getStage() + ": "
                    + v.getRejection().getMessage();
            case TIMED_OUT -> "TIMED_OUT at " + v.getWaitingFor();
        };
        return what + (verdicts.size() > 1 ? " (+" + (verdicts.size() - 1) + " more)" : "");
    }

    private static ImageSubmitted submissionOf(Path file) throws IOException {
        return ImageSubmissions.inline(file.getFileName().toString(), Files.readAllBytes(file), SOURCE, null, Map.of(),
                Instant.now());
    }

    private static String submit(String kafka, Path file) throws IOException {
        ImageSubmitted submission = submissionOf(file);
        RawIngest.send(kafka, Topics.INGEST.name(), submission.getImageId(),
                AVRO.serialize(Topics.INGEST.name(), submission));
        return submission.getImageId();
    }

    private static String serviceOf(String shortName) {
        return switch (shortName) {
            case "embedder" -> EMBEDDER;
            case "classifier" -> CLASSIFIER;
            default -> ROUTER;
        };
    }

    /** What was written to {@code log} after its first {@code from} bytes. */
    private static String appended(Path log, long from) throws IOException {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                StandardCharsets.UTF_8);
    }
}
