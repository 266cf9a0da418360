package dev.aidetect.tools.eval;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.schemas.ModelRef;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageVerdict;

/** Scored images whose every verdict a test states: the detection score (threshold 0.5) and what the hierarchy said. */
final class ScoredImages {
    private final List<ScoredImage> images = new ArrayList<>();

    List<ScoredImage> list() {
        return images;
    }

    /** A real image of {@code dataset} with this detection score, decided at 0.5. */
    ScoredImages real(String dataset, double score) {
        return add(dataset, Authenticity.REAL, null, null, verdict(FinalStatus.DECIDED,
                score >= 0.5 ? Authenticity.FAKE : Authenticity.REAL, null, null), detection(score));
    }

    /** A fake with this detection score, and the family and generator the hierarchy said (or null). */
    ScoredImages fake(String dataset, String family, String generator, double score, String saidFamily,
            String saidGenerator) {
        return add(dataset, Authenticity.FAKE, family, generator, verdict(FinalStatus.DECIDED,
                score >= 0.5 ? Authenticity.FAKE : Authenticity.REAL, saidFamily, saidGenerator), detection(score));
    }

    /** Any image: its truth, its final verdict (or null) and its detection verdict (or null). */
    ScoredImages add(String dataset, Authenticity truth, String family, String generator, FinalVerdict verdict,
            StageVerdict detection) {
        String id = "img-" + images.size();
        images.add(new ScoredImage(id, dataset + "/" + id, new ImageLabel(truth, family, generator, dataset),
                verdict == null ? null : FinalVerdict.newBuilder(verdict).setImageId(id).build(),
                detection == null ? Map.of() : Map.of(Stage.DETECTION, detection)));
        return this;
    }

    static FinalVerdict verdict(FinalStatus status, Authenticity authenticity, String family, String generator) {
        return FinalVerdict.newBuilder().setImageId("x").setStatus(status).setAuthenticity(authenticity)
                .setFamily(family).setGenerator(generator).setFinalizedAt(Instant.EPOCH).setLatencyMillis(5).build();
    }

    static StageVerdict detection(double score) {
        return StageVerdict.newBuilder().setImageId("x").setStage(Stage.DETECTION)
                .setDecision(score >= 0.5 ? "FAKE" : "REAL").setScore(score)
                .setScores(Map.of("FAKE", score, "REAL", 1 - score)).setThreshold(0.5)
                .setModel(new ModelRef("head", "1")).setDecidedAt(Instant.EPOCH).build();
    }
}
