package dev.aidetect.router.streams;

import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageReceived;
import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageVerdict;

/** One record that concerns a case, whichever source topic it came from. */
sealed interface CaseEvent {
    /**
     * From images.received: the submission as the embedder read it from images.ingest, without its pixels (where they
     * are is {@code receipt.original}).
     */
    record Submitted(ImageReceived receipt) implements CaseEvent {
    }

    /** From images.embedded. */
    record Embedded(ImageEmbedding embedding) implements CaseEvent {
    }

    /** From images.rejected. */
    record Rejected(ImageRejected rejection) implements CaseEvent {
    }

    /** From a verdict topic; the stage is the topic's, not what the record claims. */
    record Verdict(Stage stage, StageVerdict verdict) implements CaseEvent {
    }
}
