package dev.aidetect.router.domain;

import java.time.Instant;
import java.util.Map;

import dev.aidetect.schemas.StageVerdict;

/**
 * One stage's verdict on the path of a case.
 *
 * @param model the model that decided, as {@code id:version}
 */
public record StageResult(String stage, String decision, double score, Map<String, Double> scores, double threshold,
        String model, Instant decidedAt) {
    public static StageResult of(StageVerdict verdict) {
        return new StageResult(verdict.getStage().name(), verdict.getDecision(), verdict.getScore(),
                Map.copyOf(verdict.getScores()), verdict.getThreshold(),
                verdict.getModel().getId() + ":" + verdict.getModel().getVersion(), verdict.getDecidedAt());
    }
}
