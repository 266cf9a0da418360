package dev.aidetect.tools.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.aidetect.imaging.encoder.EncoderDevice;
import dev.aidetect.imaging.encoder.EncoderPrecision;
import dev.aidetect.tools.cli.OwnBrokerOrClusterOption;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "embed", mixinStandardHelpOptions = true, description = {
        "Measure embedding throughput, latency p50/p99 and peak memory four ways per encoder: ceiling (the encoder "
                + "alone on ready tensors), inprocess (the embedding engine that the embedder-service runs: decode + "
                + "preprocess + micro-batching + encoder, no Kafka), kafka (the packaged embedder-service through a "
                + "broker) and python (PIL + torchvision + the same TorchScript file). Encoders of real ViT-B/32 and ViT-L/14 size with random weights are written "
                + "by deploy/models/make_encoder.py on first use; the photos are scikit-image's, re-encoded as "
                + "512 px JPEGs. Takes minutes; the last line is the summary."})
public final class EmbedBenchCommand implements Callable<Integer> {
    /**
     * Images per model when --images is not given: a timed window of 10-25 s on two CPU cores, so the kafka mode's
     * transients (the first fetch, the JIT compiling the Kafka path, the last poll) weigh little, as in a service that
     * runs for days. With 64 ViT-B/32 images (a 4-5 s window) kafka/ceiling was 0.69 against 0.92 with 192 (medians of
     * 3 rounds): the kafka mode pays about 1.4 s once per run, and the 128 extra images ran at the ceiling's rate.
     */
    private static final Map<String, Integer> DEFAULT_IMAGES = Map.of("tiny", 32, "vit-b-32", 192, "vit-l-14", 24);

    @Spec
    CommandSpec spec;

    @Option(names = "--models", split = ",", defaultValue = "vit-b-32,vit-l-14", description = "Encoder presets: "
            + "vit-b-32, vit-l-14, tiny (the committed test encoder) (default ${DEFAULT-VALUE}).")
    List<String> models;

    @Option(names = "--modes", split = ",", defaultValue = "ceiling,inprocess,kafka,python", description = "Modes to "
            + "run (default ${DEFAULT-VALUE}).")
    List<String> modes;

    @Option(names = "--images", description = "Images per model and mode (default: 192 for vit-b-32, 24 for vit-l-14: shorter runs make the ratios noisy).")
    Integer images;

    @Option(names = "--batch", defaultValue = "4", description = "Images per forward pass in every mode (default "
            + "${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", description = "Threads for torch and for decoding in every mode (default: the "
            + "available processors).")
    Integer threads;

    @Option(names = "--inference-threads", description = "Threads running forward passes side by side in the "
            + "ceiling, inprocess and kafka modes, sharing --threads out among them, as the embedder's "
            + "inference-threads setting does (default: 1 with --device gpu, else 2, or 1 with one thread). The "
            + "python peer runs one loop on all --threads, as a user would write it.")
    Integer inferenceThreads;

    @Option(names = "--photos", description = "A folder of photos to use instead of scikit-image's sample photos.")
    Path photos;

    @Option(names = "--long-side", defaultValue = "512", description = "Long side of the benchmark's JPEGs in pixels "
            + "(default ${DEFAULT-VALUE}; 4000 gives phone-photo sizes, upscaled from the photos).")
    int longSide;

    @Option(names = "--draft-decode", description = "Decode the JPEGs in draft mode in every mode: the embedder's "
            + "aidetect.embedder.draft-decode, PIL's Image.draft in the Python peer.")
    boolean draftDecode;

    @Option(names = "--work-dir", defaultValue = ".aidetect/bench", description = "Encoders, photos and logs (default "
            + "${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--precision", defaultValue = "float32", converter = BenchOptions.PrecisionConverter.class, description = "float32; bfloat16 (the encoders' bf16 exports, written with --bf16: every mode runs them, "
            + "and the python peer also runs float32, shown as python-f32); float16 (GPU only, export "
            + "written on a GPU machine) (default ${DEFAULT-VALUE}).")
    EncoderPrecision precision;

    @Option(names = "--device", defaultValue = "auto", converter = BenchOptions.DeviceConverter.class, description = "auto (the GPU when there is one), cpu or gpu, for every mode (default ${DEFAULT-VALUE}).")
    EncoderDevice device;

    @Option(names = "--peak-tflops", description = "The accelerator's peak TFLOP/s (e.g. its dense bf16 figure): "
            + "prints each mode's FLOP rate as a fraction of it (ViT-L/14: 162 GFLOP per image; ViT-B/32: 8.8).")
    Double peakTflops;

    @Option(names = "--repeat", defaultValue = "1", description = "Rounds of every mode, interleaved (each mode "
            + "once, then again): the table shows each mode's median round, so drift in the machine's speed hits "
            + "every mode alike (default ${DEFAULT-VALUE}).")
    int repeat;

    @Mixin
    OwnBrokerOrClusterOption kafka;

    @Option(names = "--timeout", defaultValue = "PT20M", description = "Kafka mode: wait for embeddings at most this "
            + "long (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        // The launcher runs from the repository root; tests say where it is.
        Path root = Path.of(System.getProperty("aidetect.project.root", "")).toAbsolutePath();
        ThreadBudget budget = ThreadBudget.of(threads != null ? threads : Runtime.getRuntime().availableProcessors(),
                inferenceThreads, device);
        List<Path> files = BenchImages.ensure(workDir.resolve(longSide == BenchImages.LONG_SIDE
                ? "images"
                : "images-" + longSide), photos, longSide);
        if (files.isEmpty()) {
            err.println("bench embed: skipped, no photos: install Debian's python3-skimage (sample photos in "
                    + BenchImages.SKIMAGE_DATA + ") or pass --photos DIR");
            return 0;
        }
        BenchReport report = new BenchReport();
        List<String> runModes = BenchOptions.withFloat32Peer(modes, precision);
        for (String model : models) {
            int count = images != null ? images : DEFAULT_IMAGES.getOrDefault(model, 32);
            err.printf("[%s] %d images (%d photos, ~%d px JPEG%s), batch %d, %s%n", model, count,
                    files.size(), longSide, draftDecode ? ", draft decoding" : "", batch, budget);
            Path manifest;
            try {
                manifest = BenchModels.ensure(root, workDir, model, precision, err);
            } catch (IllegalStateException e) {
                runModes.forEach(mode -> report.skip(model, mode, e.getMessage()));
                err.println("  skipped: " + e.getMessage());
                continue;
            }
            Map<String, List<ModeResult>> rounds = new LinkedHashMap<>();
            for (int round = 1; round <= repeat; round++) {
                if (repeat > 1) {
                    err.printf("  round %d of %d%n", round, repeat);
                }
                for (String mode : runModes) {
                    ModeResult result = runMode(report, root, model, mode, manifest, files, count, budget);
                    if (result != null) {
                        rounds.computeIfAbsent(mode, m -> new ArrayList<>()).add(result);
                    }
                }
            }
            rounds.forEach((mode, results) -> report.add(model, mode, results));
        }
        err.printf("precision %s, device %s%s%n", precision.label(), device.name().toLowerCase(Locale.ROOT),
                draftDecode ? ", draft decoding" : "");
        report.print(spec.commandLine().getOut(), batch, budget.toString(), peakTflops);
        return 0;
    }

    /** One round of one mode; null (and the reason in the report) when it could not run. */
    private ModeResult runMode(BenchReport report, Path root, String model, String mode, Path manifest,
            List<Path> files, int count, ThreadBudget budget) {
        PrintWriter err = spec.commandLine().getErr();
        err.printf("  %s ...%n", mode);
        try {
            ModeResult result = switch (mode) {
                case "ceiling", "inprocess" -> Workers.runJava(mode, manifest, files, count, batch, budget,
                        precision, device, draftDecode);
                case "kafka" -> KafkaBench.run(root, workDir.resolve("kafka"), kafka.reachableOrNull(),
                        kafka.configFileOrNull(), manifest,
                        BenchImages.read(files, count), batch, budget, timeout, precision, device, draftDecode, err);
                case "python", BenchOptions.PYTHON_FLOAT32 -> {
                    if (!PythonPeer.hasTorch()) {
                        throw new IllegalStateException(BenchModels.PYTHON + " cannot import torch, torchvision and "
                                + "PIL: apt-get install python3-torch python3-torchvision python3-pil");
                    }
                    yield PythonPeer.run(workDir, manifest, files, count, batch, budget.total(),
                            mode.equals("python") ? precision : EncoderPrecision.FLOAT32, device, draftDecode);
                }
                default -> throw new IllegalStateException("unknown mode " + mode + ": ceiling, inprocess, kafka or "
                        + "python");
            };
            err.printf(Locale.ROOT, "  %s: %.2f img/s%n", mode, result.imagesPerSecond());
            return result;
        } catch (RuntimeException e) {
            report.skip(model, mode, e.getMessage().lines().findFirst().orElse(e.toString()));
            err.println("  " + mode + " failed: " + e.getMessage());
            return null;
        }
    }
}
