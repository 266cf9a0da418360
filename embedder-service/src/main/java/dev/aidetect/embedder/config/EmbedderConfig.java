package dev.aidetect.embedder.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import dev.aidetect.embedding.EngineSettings;
import dev.aidetect.fetch.FetchConfig;
import dev.aidetect.fetch.FetchSettings;
import dev.aidetect.imaging.decode.DecodeLimits;
import dev.aidetect.imaging.encoder.EncoderDevice;
import dev.aidetect.imaging.encoder.EncoderPrecision;
import dev.aidetect.imaging.encoder.ModelCache;

/**
 * The embedder's settings ({@code aidetect.embedder.*}): the embedding engine's ({@link #engineSettings()}), and how to
 * publish and fetch.
 */
@ConfigMapping(prefix = "aidetect.embedder")
public interface EmbedderConfig {
    /**
     * The encoder (env AIDETECT_EMBEDDER_ENCODER_MANIFEST): a local manifest.json, .pt/.onnx file or directory, an
     * https:// manifest URL, hf://org/repo[@revision]/path/manifest.json or djl://... (deploy/models/README.md).
     */
    String encoderManifest();

    /**
     * More encoders run side by side with encoder-manifest on the same preprocessed image (env AIDETECT_EMBEDDER_ENCODERS,
     * comma-separated; same forms): vectors concatenated in order, encoder id and version joined by '+'.
     */
    Optional<List<String>> encoders();

    /**
     * How the vectors of several encoders are published (env AIDETECT_EMBEDDER_PUBLISH): concatenated, one record on
     * images.embedded; or separate, the first encoder's on images.embedded and each other's on images.embedded.<id>.
     */
    @WithDefault("concatenated")
    Publish publish();

    /** How {@link #publish()} lays out the vectors of encoders run side by side. */
    enum Publish {
        CONCATENATED, SEPARATE
    }

    /** Where downloaded encoders are cached (env AIDETECT_EMBEDDER_MODEL_CACHE); default ~/.cache/aidetect/models. */
    Optional<Path> modelCache();

    /** Whether the encoder may be downloaded over plain http: (tests, trusted internal stores); else https: only. */
    @WithDefault("false")
    boolean modelAllowPlainHttp();

    /** Where the encoder runs: auto (the GPU when the engine sees one, else the CPU), cpu or gpu. */
    @WithDefault("auto")
    EncoderDevice device();

    /**
     * Number format of the forward pass: float32; float16 from the manifest's fp16File, GPU only (device auto without a
     * GPU: float32 and a warning); bfloat16 from its bf16File, CPU or GPU.
     */
    @WithDefault("float32")
    EncoderPrecision precision();

    /** Deprecated alias of precision=float16 (env AIDETECT_EMBEDDER_FP16), applied only while precision is float32. */
    @Deprecated
    @WithDefault("false")
    boolean fp16();

    /** The precision to load the encoder in: {@link #precision()}, or float16 when only the deprecated fp16 is set. */
    default EncoderPrecision effectivePrecision() {
        return fp16() && precision() == EncoderPrecision.FLOAT32 ? EncoderPrecision.FLOAT16 : precision();
    }

    /** Largest encoded image accepted, in bytes; bigger ones are rejected TOO_LARGE. */
    @WithDefault("20971520")
    long maxBytes();

    /** Largest decoded image accepted, in pixels (width x height, read from the header); else TOO_MANY_PIXELS. */
    @WithDefault("40000000")
    long maxPixels();

    /** Longest one image may take to decode; else DECODE_TIMEOUT. */
    @WithDefault("5s")
    Duration decodeTimeout();

    /**
     * Decode a large JPEG in draft mode, as PIL's {@code Image.draft}: libjpeg-turbo's scaled inverse DCT at 1/2, 1/4
     * or 1/8, the smallest scale that keeps both sides at least the encoder's input size. Several times faster on
     * phone photos; the vector moves slightly from a full decode's, and {@code ImageEmbedding.decodeScale} records
     * the scale. Applies with CLIP preprocessing only: crop preprocessing needs the full-size pixels.
     */
    @WithDefault("false")
    boolean draftDecode();

    /**
     * The JPEG decoder: {@code libjpeg-turbo} (PIL's decoder, so PIL's exact pixels; the embedder refuses to start
     * where it is not installed), {@code imageio} (the JDK's reader, on any machine; pixels can differ from PIL's) or
     * {@code auto} (libjpeg-turbo where installed, else imageio). Every embedding records the decoder it used.
     */
    @WithDefault("libjpeg-turbo")
    String jpegDecoder();

    /** Most images per forward pass of the encoder. */
    @WithDefault("" + EngineSettings.DEFAULT_MAX_BATCH)
    int maxBatch();

    /** Longest the first waiting image waits for others before a forward pass runs with fewer than max-batch. */
    @WithDefault(EngineSettings.DEFAULT_MAX_WAIT_MILLIS + "ms")
    Duration maxWait();

    /** Threads that decode and preprocess images in parallel; default: the available processors. */
    OptionalInt decodeThreads();

    /** Linux nice of the decode threads (0-19; 0: as the encoder's): higher yields the CPU to libtorch's threads. */
    @WithDefault("0")
    int decodeNice();

    /**
     * Threads running forward passes side by side, each with its own predictor and batch buffer; default: 1 on a GPU,
     * on a CPU 2 (1 on a single core).
     */
    OptionalInt inferenceThreads();

    /**
     * libtorch's intra-op CPU threads per inference thread (ai.djl.pytorch.num_threads, which wins when set); default:
     * the processors shared out among the inference threads.
     */
    OptionalInt torchThreads();

    /** libtorch's inter-op CPU threads (ai.djl.pytorch.num_interop_threads wins when set). */
    @WithDefault("" + EngineSettings.DEFAULT_TORCH_INTEROP_THREADS)
    int torchInteropThreads();

    /** OpenMP wait policy when OMP_WAIT_POLICY is not in the environment: passive (idle threads sleep) or active. */
    @WithDefault(EngineSettings.DEFAULT_OMP_WAIT_POLICY)
    String ompWaitPolicy();

    /** Fetching of submissions that name an {@code image.uri} instead of inline content. */
    FetchConfig fetch();

    /** The shared fetcher's settings: fetch.*, and max-bytes as its byte cap; refusals name these settings. */
    default FetchSettings fetchSettings() {
        return fetch().settings(maxBytes(), "aidetect.embedder");
    }

    default DecodeLimits decodeLimits() {
        return new DecodeLimits(maxBytes(), maxPixels(), decodeTimeout());
    }

    /** encoder-manifest, then the encoders run side by side with it. */
    default List<String> encoderReferences() {
        List<String> references = new ArrayList<>(List.of(encoderManifest()));
        encoders().ifPresent(references::addAll);
        return references;
    }

    /** The embedding engine's settings: these, one for one. */
    default EngineSettings engineSettings() {
        return new EngineSettings(encoderReferences(), modelCache().orElseGet(ModelCache::defaultRoot),
                modelAllowPlainHttp(), device(), effectivePrecision(), decodeLimits(), jpegDecoder(), draftDecode(),
                maxBatch(), maxWait(), decodeThreads(), decodeNice(), inferenceThreads(), torchThreads(),
                torchInteropThreads(), ompWaitPolicy());
    }
}
