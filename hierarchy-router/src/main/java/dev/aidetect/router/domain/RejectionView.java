package dev.aidetect.router.domain;

import dev.aidetect.schemas.Rejection;

/** Why a case ended rejected: the stage that refused it, the reason code, and a message for a person. */
public record RejectionView(String stage, String reason, String message) {
    /** The view of {@code rejection}, or {@code null} when there is none. */
    public static RejectionView of(Rejection rejection) {
        return rejection == null
                ? null
                : new RejectionView(rejection.getStage().name(), rejection.getReason().name(), rejection.getMessage());
    }
}
