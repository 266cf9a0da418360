package dev.aidetect.embedding;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

import dev.aidetect.imaging.decode.DecodeLimits;
import dev.aidetect.imaging.encoder.EncoderDevice;
import dev.aidetect.imaging.encoder.EncoderPrecision;

/**
 * How an {@link EmbeddingEngine} runs. In the embedder-service each component is the setting of the same name under
 * {@value #PREFIX} ({@code EmbedderConfig} builds the record), and the engine's messages name those settings; the
 * benchmark builds it from its options.
 *
 * @param encoders the encoder, then any run side by side with it on the same preprocessed image (each a reference
 *        {@link dev.aidetect.imaging.encoder.EncoderLoader#load(String)} takes)
 * @param modelCache where downloaded encoders are kept
 * @param modelAllowPlainHttp whether encoders may be downloaded over plain http:
 * @param device where the encoder runs
 * @param precision number format of the forward pass
 * @param decodeLimits bytes, pixels and time one image may take
 * @param jpegDecoder {@code libjpeg-turbo}, {@code imageio} or {@code auto} (libjpeg-turbo where installed)
 * @param draftDecode whether large JPEGs are decoded at a DCT scale, as PIL's {@code Image.draft}
 * @param maxBatch most images per forward pass
 * @param maxWait longest the first waiting image waits for others before a pass runs with fewer
 * @param decodeThreads threads decoding and preprocessing; empty: the available processors
 * @param decodeNice Linux nice of the decode threads (0-19)
 * @param inferenceThreads threads running forward passes side by side; empty: the default for the encoder's device
 *        ({@link TorchThreads#defaultInferenceThreads(boolean)})
 * @param torchThreads libtorch intra-op threads per inference thread; empty: the processors shared out among them
 * @param torchInteropThreads libtorch inter-op threads
 * @param ompWaitPolicy OpenMP's wait policy unless the environment sets one: {@code passive}, {@code active} or empty
 */
public record EngineSettings(List<String> encoders, Path modelCache, boolean modelAllowPlainHttp,
        EncoderDevice device, EncoderPrecision precision, DecodeLimits decodeLimits, String jpegDecoder,
        boolean draftDecode, int maxBatch, Duration maxWait, OptionalInt decodeThreads, int decodeNice,
        OptionalInt inferenceThreads, OptionalInt torchThreads, int torchInteropThreads, String ompWaitPolicy) {

    /** Where the service's configuration keeps these settings; messages name them with it. */
    public static final String PREFIX = "aidetect.embedder";
    /** Default of {@link #maxBatch()}. */
    public static final int DEFAULT_MAX_BATCH = 16;
    /** Default of {@link #maxWait()}, in milliseconds. */
    public static final int DEFAULT_MAX_WAIT_MILLIS = 10;
    /** Default of {@link #torchInteropThreads()}. */
    public static final int DEFAULT_TORCH_INTEROP_THREADS = 1;
    /**
     * Default of {@link #ompWaitPolicy()}: a spinning OpenMP thread burns the core a decode thread needs (with
     * {@code active} the benchmark's inprocess mode used about 1.5x the CPU time for the same images).
     */
    public static final String DEFAULT_OMP_WAIT_POLICY = "passive";

    public EngineSettings {
        encoders = List.copyOf(encoders);
        if (encoders.isEmpty()) {
            throw new IllegalArgumentException("the engine needs an encoder (" + PREFIX + ".encoder-manifest)");
        }
        Objects.requireNonNull(modelCache, "modelCache");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(decodeLimits, "decodeLimits");
        Objects.requireNonNull(jpegDecoder, "jpegDecoder");
        Objects.requireNonNull(maxWait, "maxWait");
        Objects.requireNonNull(decodeThreads, "decodeThreads");
        Objects.requireNonNull(inferenceThreads, "inferenceThreads");
        Objects.requireNonNull(torchThreads, "torchThreads");
        Objects.requireNonNull(ompWaitPolicy, "ompWaitPolicy");
    }

    /** {@link #decodeThreads()}, or the available processors. */
    public int decodeThreadCount() {
        return decodeThreads.orElse(Runtime.getRuntime().availableProcessors());
    }
}
