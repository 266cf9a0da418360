package dev.aidetect.tools.bench;

import java.util.List;
import java.util.Set;

import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.Topics;
import dev.aidetect.tools.stack.StackService;

/**
 * A service of the pipeline as {@code bench pipeline} runs it alone: the topics it reads (written into a fresh broker
 * from the pipeline run's records before it starts; {@code images.ingest} is always written, since stages read pixels
 * from it by reference) and which of the records it writes mark its progress. The stage has drained its backlog when
 * it has written as many such records as it did in the pipeline run.
 */
enum PipelineStage {
    /** Decoding and the encoder: from the submissions to embeddings (or rejections). Receipts are not work done. */
    EMBEDDER(StackService.EMBEDDER, List.of(), List.of(Topics.EMBEDDED.name(), Topics.REJECTED.name()),
            Set.of(Stage.INGEST, Stage.EMBEDDING)),
    /** The heads and attribution networks: from embeddings and stage requests to stage verdicts (or rejections). */
    CLASSIFIER(StackService.CLASSIFIER, List.of(Topics.EMBEDDED.name(), Topics.FAMILY_REQUESTS.name(),
            Topics.GAN_ATTRIBUTION_REQUESTS.name(), Topics.DIFFUSION_ATTRIBUTION_REQUESTS.name()),
            List.of(Topics.DETECTION_VERDICTS.name(), Topics.FAMILY_VERDICTS.name(),
                    Topics.ATTRIBUTION_VERDICTS.name(), Topics.REJECTED.name()),
            Set.of(Stage.DETECTION, Stage.FAMILY, Stage.ATTRIBUTION)),
    /** The case state machine: from everything the other two write to one final verdict per image. */
    ROUTER(StackService.ROUTER, List.of(Topics.RECEIVED.name(), Topics.EMBEDDED.name(), Topics.REJECTED.name(),
            Topics.DETECTION_VERDICTS.name(), Topics.FAMILY_VERDICTS.name(), Topics.ATTRIBUTION_VERDICTS.name()),
            List.of(Topics.FINAL.name()), Set.of());

    private final StackService service;
    private final List<String> inputs;
    private final List<String> outputs;
    private final Set<Stage> rejectsAs;

    PipelineStage(StackService service, List<String> inputs, List<String> outputs, Set<Stage> rejectsAs) {
        this.service = service;
        this.inputs = inputs;
        this.outputs = outputs;
        this.rejectsAs = rejectsAs;
    }

    StackService service() {
        return service;
    }

    /** The name in the report: embedder, classifier, router. */
    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Topics besides images.ingest to fill from the pipeline run before the stage starts. */
    List<String> inputs() {
        return inputs;
    }

    /** Topics the stage's progress is read from. */
    List<String> outputs() {
        return outputs;
    }

    /** Whether a record on one of {@link #outputs()} is this stage's work (a rejection only when this stage made it). */
    boolean counts(String topic, byte[] value) {
        if (!outputs.contains(topic)) {
            return false;
        }
        if (!topic.equals(Topics.REJECTED.name())) {
            return true;
        }
        ImageRejected rejection = Topics.REJECTED.valueSerde().deserializer().deserialize(topic, value);
        return rejection != null && rejectsAs.contains(rejection.getStage());
    }
}
