package dev.aidetect.tools.eval;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import dev.aidetect.classifier.domain.DetectionInput;
import dev.aidetect.classifier.domain.ModelSlot;
import dev.aidetect.classifier.inference.PixelDetection;
import dev.aidetect.embedding.EmbeddingEngine;
import dev.aidetect.embedding.EmbeddingListener;
import dev.aidetect.embedding.EmbeddingResults;
import dev.aidetect.embedding.EngineSettings;
import dev.aidetect.embedding.ResultSink;
import dev.aidetect.embedding.Submission;
import dev.aidetect.embedding.UriFetcher;
import dev.aidetect.heads.HeadDecision;
import dev.aidetect.heads.VectorHead;
import dev.aidetect.heads.VectorRejectedException;
import dev.aidetect.heads.attribution.AttributionDecision;
import dev.aidetect.heads.attribution.AttributionNetwork;
import dev.aidetect.heads.attribution.DetectionNetwork;
import dev.aidetect.imaging.decode.DecodeLimits;
import dev.aidetect.imaging.decode.DecodedImage;
import dev.aidetect.imaging.decode.ImageDecoder;
import dev.aidetect.imaging.decode.ImageRejectedException;
import dev.aidetect.imaging.encoder.EncoderDevice;
import dev.aidetect.imaging.encoder.EncoderLoadException;
import dev.aidetect.imaging.encoder.EncoderPrecision;
import dev.aidetect.imaging.encoder.ModelCache;
import dev.aidetect.router.streams.CaseRunner;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.schemas.ImageReceived;
import dev.aidetect.schemas.ImageRef;
import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.ModelRef;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Rejections;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageRequest;
import dev.aidetect.schemas.StageVerdict;
import dev.aidetect.schemas.Topics;
import dev.aidetect.tools.cli.CommandFailure;
import dev.aidetect.tools.stack.DetectionOptions;
import dev.aidetect.tools.stack.ModelOptions;
import dev.aidetect.tools.stack.StackService;

/**
 * The pipeline without Kafka, for {@code eval --offline}: the same models, run by the classes the services run them
 * with. The embedder's {@link EmbeddingEngine} (with the service's default settings: batches of up to
 * {@link EngineSettings#DEFAULT_MAX_BATCH}, the same decode limits and JPEG decoder), the classifier's models
 * ({@link VectorHead#classify}, {@link AttributionNetwork#attribute} on the image decoded within the classifier's
 * limits), and the router's own rules ({@link CaseRunner}, with its default stages and uncertain band). The detection
 * stage follows the classifier's {@code detection-input}: on the vector, or on the pixels (the detection network,
 * alone or fused with the head) through the classifier's own {@link PixelDetection}, as its {@code PixelDetector}
 * makes the call. What the classifier's messaging adds around a model's decision (the verdict's score: P(FAKE) for
 * detection, the decided family's probability for family; which input faults become which rejection) is the
 * classifier's {@code VectorClassifier}, {@code ImageAttributor} and {@code Outcomes}, followed here line for line;
 * {@code EvalOfflineMatchesStreamingIT} holds both runs to the same finals on the same images.
 */
final class OfflinePipeline implements AutoCloseable {
    /** What the classifier names in its decode refusals. */
    private static final String CLASSIFIER_SETTINGS = "aidetect.classifier";

    private final EmbeddingEngine engine;
    private final DetectionInput detectionInput;
    /** The detection head; null when the call is on pixels alone. */
    private final VectorHead detectionHead;
    /** The detection network; null when the call is on the vector alone. */
    private final DetectionNetwork detectionNetwork;
    private final VectorHead familyHead;
    private final Map<String, AttributionNetwork> attribution;
    private final ImageDecoder decoder = new ImageDecoder(DecodeLimits.defaults(), CLASSIFIER_SETTINGS);
    private final CaseRunner router = CaseRunner.withServiceDefaults();
    private Consumer<ImageEmbedding> embedded = embedding -> {
    };

    private OfflinePipeline(EmbeddingEngine engine, DetectionInput detectionInput, VectorHead detection,
            DetectionNetwork detectionNetwork, VectorHead family, Map<String, AttributionNetwork> attribution) {
        this.engine = engine;
        this.detectionInput = detectionInput;
        this.detectionHead = detection;
        this.detectionNetwork = detectionNetwork;
        this.familyHead = family;
        this.attribution = attribution;
    }

    /**
     * Loads the models the services' environment names ({@link ModelOptions#serviceEnv}).
     *
     * @throws CommandFailure when one does not load
     */
    static OfflinePipeline load(Map<StackService, Map<String, String>> serviceEnv) {
        Map<String, String> embedder = serviceEnv.get(StackService.EMBEDDER);
        Map<String, String> classifier = serviceEnv.get(StackService.CLASSIFIER);
        EmbeddingEngine engine = new EmbeddingEngine(settings(embedder.get(ModelOptions.ENCODER)), UriFetcher.NONE,
                EmbeddingListener.NONE);
        Map<String, AttributionNetwork> networks = new HashMap<>();
        DetectionNetwork detectionNetwork = null;
        try {
            DetectionInput input = DetectionInput
                    .of(classifier.getOrDefault(DetectionOptions.DETECTION_INPUT, DetectionInput.VECTOR.label()));
            engine.load();
            VectorHead detection = input.slots().contains(ModelSlot.DETECTION_HEAD)
                    ? VectorHead.load(Path.of(classifier.get(ModelOptions.DETECTION_HEAD)))
                    : null;
            if (input.readsPixels()) {
                detectionNetwork = DetectionNetwork.load(Path.of(classifier.get(DetectionOptions.DETECTION_NETWORK)));
            }
            VectorHead family = VectorHead.load(Path.of(classifier.get(ModelOptions.FAMILY_HEAD)));
            networks.put("gan", AttributionNetwork.load(Path.of(classifier.get(ModelOptions.ATTRIBUTION_GAN))));
            networks.put("diffusion",
                    AttributionNetwork.load(Path.of(classifier.get(ModelOptions.ATTRIBUTION_DIFFUSION))));
            return new OfflinePipeline(engine, input, detection, detectionNetwork, family, networks);
        } catch (EncoderLoadException | IOException | RuntimeException e) {
            networks.values().forEach(AttributionNetwork::close);
            if (detectionNetwork != null) {
                detectionNetwork.close();
            }
            engine.close();
            throw new CommandFailure("cannot load the models for --offline: " + e.getMessage()
                    + "; check the model options (--encoder, --detection-head, --detection-network, ...)", e);
        }
    }

    /** The embedder's settings with the service's defaults (EmbedderConfig), for {@code encoder}. */
    private static EngineSettings settings(String encoder) {
        // auto: libjpeg-turbo where installed, else ImageIO, as the local stack starts the embedder.
        return new EngineSettings(List.of(encoder), ModelCache.defaultRoot(), false, EncoderDevice.AUTO,
                EncoderPrecision.FLOAT32, DecodeLimits.defaults(), "auto", false, EngineSettings.DEFAULT_MAX_BATCH,
                Duration.ofMillis(EngineSettings.DEFAULT_MAX_WAIT_MILLIS), OptionalInt.empty(), 0,
                OptionalInt.empty(), OptionalInt.empty(), EngineSettings.DEFAULT_TORCH_INTEROP_THREADS,
                EngineSettings.DEFAULT_OMP_WAIT_POLICY);
    }

    /** Hands every embedding the engine makes to {@code listener} too (the report's map samples them). */
    void onEmbedding(Consumer<ImageEmbedding> listener) {
        this.embedded = listener;
    }

    /** The models' ids and their versions, for the report. */
    Map<String, String> models() {
        Map<String, String> models = new HashMap<>();
        models.put(engine.encoder().id(), engine.encoder().version());
        if (detectionHead != null) {
            models.put(detectionHead.id(), detectionHead.version());
        }
        if (detectionNetwork != null) {
            models.put(detectionNetwork.id(), detectionNetwork.version());
        }
        models.put(familyHead.id(), familyHead.version());
        attribution.values().forEach(network -> models.put(network.id(), network.version()));
        return models;
    }

    /**
     * The final verdict of each submission (inline content only: there is no claim check without Kafka), in order: the
     * chunk is embedded as one poll would be, then each case is walked down the hierarchy.
     */
    List<FinalVerdict> run(List<ImageSubmitted> chunk) {
        List<Submission> submissions = chunk.stream().map(record -> new Submission(record, null)).toList();
        EmbeddingResults results = engine.embed(submissions, new ResultSink() {
            @Override
            public CompletableFuture<Void> embedded(ImageEmbedding embedding) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<Void> rejected(ImageRejected rejection) {
                return CompletableFuture.completedFuture(null);
            }
        });
        Map<String, ImageEmbedding> embeddings = new HashMap<>();
        results.embeddings().forEach(e -> {
            embeddings.put(e.getImageId(), e);
            embedded.accept(e);
        });
        Map<String, ImageRejected> rejections = new HashMap<>();
        results.rejections().forEach(r -> rejections.put(r.getImageId(), r));
        List<FinalVerdict> finals = new ArrayList<>(chunk.size());
        for (ImageSubmitted record : chunk) {
            ImageReceived receipt = receipt(record);
            ImageEmbedding embedding = embeddings.get(record.getImageId());
            if (embedding == null) {
                ImageRejected rejected = rejections.get(record.getImageId());
                if (rejected == null) {
                    throw new IllegalStateException("the embedding engine answered nothing for image "
                            + record.getImageId() + "; it must embed or reject every submission");
                }
                finals.add(router.rejected(receipt, rejected, System.currentTimeMillis()));
            } else {
                finals.add(router.run(receipt, embedding, new Stages(record), System::currentTimeMillis));
            }
        }
        return finals;
    }

    /** The embedder's receipt: the submission without its pixels (kept here, so no reference is needed). */
    private static ImageReceived receipt(ImageSubmitted record) {
        ByteBuffer content = record.getImage().getContent();
        return ImageReceived.newBuilder().setImageId(record.getImageId()).setSubmittedAt(record.getSubmittedAt())
                .setReceivedAt(Instant.now()).setSource(record.getSource()).setAttributes(record.getAttributes())
                .setLabel(record.getLabel())
                .setOriginal(ImageRef.newBuilder().setContentType(record.getImage().getContentType())
                        .setSizeBytes(content == null ? 0 : content.remaining()).build())
                .build();
    }

    /** The classifier's stages for one submission, whose pixels attribution decodes. */
    private final class Stages implements CaseRunner.Stages {
        private final ImageSubmitted record;

        Stages(ImageSubmitted record) {
            this.record = record;
        }

        @Override
        public CaseRunner.StageOutcome detect(ImageEmbedding embedding) {
            if (detectionInput.readsPixels()) {
                return onPixels(embedding);
            }
            return vector(embedding.getImageId(), Stage.DETECTION, detectionHead, embedding.getEncodedBy(),
                    embedding.getVector(), false, embedding.getLabel(), Topics.EMBEDDED.name());
        }

        /** The classifier's PixelDetector: the head's check first, then the image, then the call. */
        private CaseRunner.StageOutcome onPixels(ImageEmbedding embedding) {
            String imageId = embedding.getImageId();
            try {
                float[] vector = detectionHead == null
                        ? null
                        : PixelDetection.checked(detectionHead, embedding.getEncodedBy().getId(),
                                embedding.getVector());
                DecodedImage image = decoder.decode(bytes(record));
                PixelDetection.Named named = PixelDetection.decide(detectionNetwork, detectionHead, vector,
                        image.rgb(), PixelDetection.Timing.NONE);
                HeadDecision decision = named.decision();
                return verdict(imageId, Stage.DETECTION, decision.decision(), decision.score(), decision.scores(),
                        decision.threshold(), named.modelId(), named.modelVersion());
            } catch (VectorRejectedException e) {
                return rejected(Stage.DETECTION, Topics.EMBEDDED.name(), imageId, e, embedding.getLabel());
            } catch (ImageRejectedException e) {
                return rejected(Stage.DETECTION, Topics.EMBEDDED.name(), imageId, e.reason(), e.getMessage(),
                        embedding.getLabel());
            }
        }

        @Override
        public CaseRunner.StageOutcome decide(StageRequest request) {
            if (request.getStage() == Stage.FAMILY) {
                return family(request);
            }
            String topic = Topics.attributionRequests(request.getFamily()).name();
            AttributionNetwork network = attribution.get(request.getFamily());
            try {
                DecodedImage image = decoder.decode(bytes(record));
                AttributionDecision decision = network.attribute(image.rgb());
                return verdict(request.getImageId(), Stage.ATTRIBUTION, decision.decision(), decision.score(),
                        decision.scores(), decision.threshold(), network.id(), network.version());
            } catch (ImageRejectedException e) {
                return rejected(Stage.ATTRIBUTION, topic, request.getImageId(), e.reason(), e.getMessage(),
                        request.getLabel());
            }
        }

        private CaseRunner.StageOutcome family(StageRequest request) {
            String topic = Topics.FAMILY_REQUESTS.name();
            if (request.getVector() == null) {
                return rejected(Stage.FAMILY, topic, request.getImageId(), RejectReason.BAD_VECTOR, "family request "
                        + "for image " + request.getImageId() + " carries no vector; the router must copy the "
                        + "embedding's vector", request.getLabel());
            }
            if (request.getEncodedBy() == null) {
                return rejected(Stage.FAMILY, topic, request.getImageId(), RejectReason.ENCODER_MISMATCH, "family "
                        + "request for image " + request.getImageId() + " does not name the encoder of its vector "
                        + "(encodedBy); the router must copy the embedding's encodedBy so the head can refuse "
                        + "foreign vectors", request.getLabel());
            }
            return vector(request.getImageId(), Stage.FAMILY, familyHead, request.getEncodedBy(), request.getVector(),
                    true, request.getLabel(), topic);
        }

        private CaseRunner.StageOutcome vector(String imageId, Stage stage, VectorHead head, ModelRef encodedBy,
                List<Float> values, boolean scoreOfDecision, ImageLabel label, String topic) {
            try {
                float[] vector = PixelDetection.checked(head, encodedBy.getId(), values);
                HeadDecision decision = head.classify(vector);
                double score = scoreOfDecision ? decision.decisionScore() : decision.score();
                return verdict(imageId, stage, decision.decision(), score, decision.scores(), decision.threshold(),
                        head.id(), head.version());
            } catch (VectorRejectedException e) {
                return rejected(stage, topic, imageId, e, label);
            }
        }
    }

    private static byte[] bytes(ImageSubmitted record) {
        ByteBuffer content = record.getImage().getContent().duplicate();
        byte[] bytes = new byte[content.remaining()];
        content.get(bytes);
        return bytes;
    }

    private static CaseRunner.StageOutcome verdict(String imageId, Stage stage, String decision, double score,
            Map<String, Double> scores, double threshold, String modelId, String modelVersion) {
        return new CaseRunner.StageOutcome.Verdict(StageVerdict.newBuilder().setImageId(imageId).setStage(stage)
                .setDecision(decision).setScore(score).setScores(scores).setThreshold(threshold)
                .setModel(new ModelRef(modelId, modelVersion)).setDecidedAt(Instant.now()).build());
    }

    private static CaseRunner.StageOutcome rejected(Stage stage, String topic, String imageId,
            VectorRejectedException e, ImageLabel label) {
        RejectReason reason = e.reason() == VectorRejectedException.Reason.ENCODER_MISMATCH
                ? RejectReason.ENCODER_MISMATCH
                : RejectReason.BAD_VECTOR;
        return rejected(stage, topic, imageId, reason, e.getMessage(), label);
    }

    private static CaseRunner.StageOutcome rejected(Stage stage, String topic, String imageId, RejectReason reason,
            String message, ImageLabel label) {
        return new CaseRunner.StageOutcome.Rejected(Rejections.of(stage, topic, imageId, reason, message, null,
                label));
    }

    @Override
    public void close() {
        attribution.values().forEach(AttributionNetwork::close);
        if (detectionNetwork != null) {
            detectionNetwork.close();
        }
        engine.close();
    }
}
