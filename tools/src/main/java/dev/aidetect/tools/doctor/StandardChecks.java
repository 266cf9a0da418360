package dev.aidetect.tools.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import ai.djl.engine.Engine;
import ai.djl.util.Utils;

import dev.aidetect.common.LocalPorts;
import dev.aidetect.heads.HeadAlgorithm;
import dev.aidetect.heads.SmileSelfTest;
import dev.aidetect.heads.natives.OpenBlas;
import dev.aidetect.imaging.decode.TurboJpegLibrary;
import dev.aidetect.schemas.kafka.KafkaClientSettings;
import dev.aidetect.tools.cli.KafkaReachability;
import dev.aidetect.tools.stack.StackService;

/** The checks {@code aidetect doctor} runs, in the order a newcomer's problems usually appear. */
public final class StandardChecks {
    /** The JDK the project is built and run with. */
    static final int JDK_FEATURE = 25;
    /** The python the parity tests and the benchmark's reference run with (Debian's, where torch is). */
    static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String PYTHON_PACKAGES = "python3-torch python3-torchvision python3-skimage";

    private StandardChecks() {
    }

    /**
     * @param projectRoot where the packaged services are looked for
     * @param cluster a cluster to check with its client settings, or {@code null} when none is configured
     */
    public static List<Check> all(Path projectRoot, KafkaClientSettings cluster) {
        return List.of(new Check("jdk", true, StandardChecks::jdk),
                new Check("openblas", true, StandardChecks::openBlas),
                new Check("libturbojpeg", false, StandardChecks::turboJpeg),
                new Check("libtorch", true, StandardChecks::libtorch),
                new Check("python", false, StandardChecks::python),
                new Check("built", false, () -> built(projectRoot)),
                new Check("ports", false, StandardChecks::ports),
                new Check("kafka", true, () -> kafka(cluster)));
    }

    static Finding jdk() {
        Runtime.Version version = Runtime.version();
        String detail = version + " (" + System.getProperty("java.vendor") + ") at " + System.getProperty("java.home");
        if (version.feature() < JDK_FEATURE) {
            return Finding.fail(detail + ": the project needs JDK " + JDK_FEATURE + " (Temurin); install it under "
                    + "/usr/lib/jvm/temurin-25-jdk-amd64 or point JAVA_HOME at one");
        }
        return Finding.ok(detail);
    }

    /** OpenBLAS loads, and Smile's LAPACK and BLAS paths compute right on it. */
    static Finding openBlas() {
        OpenBlas.Loaded loaded = OpenBlas.ensureLoaded();
        List<String> wrong = new ArrayList<>();
        for (HeadAlgorithm algorithm : SmileSelfTest.NATIVE_PATHS) {
            double accuracy = SmileSelfTest.trainingAccuracy(algorithm);
            if (accuracy < 0.9) {
                wrong.add(String.format(Locale.ROOT, "%s %.2f", algorithm.id(), accuracy));
            }
        }
        String served = SmileSelfTest.NATIVE_PATHS.stream().map(HeadAlgorithm::id).collect(Collectors.joining(", "));
        if (!wrong.isEmpty()) {
            return Finding.fail(loaded + " loads but computes wrong (training accuracy " + wrong + "); delete "
                    + loaded.path().getParent() + " to extract the bundled copy again, or install libopenblas-dev");
        }
        return Finding.ok(loaded + " (" + served + " fit on it)");
    }

    static Finding turboJpeg() {
        return TurboJpegLibrary.locate().map(path -> Finding.ok("system " + path + " (JPEG decodes as PIL does)"))
                .orElseGet(() -> Finding.warn("missing: the embedder refuses to start unless "
                        + "aidetect.embedder.jpeg-decoder=imageio (the demo sets it; pixels can differ from PIL's): "
                        + TurboJpegLibrary.INSTALL_HINT));
    }

    /** DJL's PyTorch engine starts: libtorch from the Maven Central jar, extracted into DJL's cache. */
    static Finding libtorch() {
        Engine engine = Engine.getEngine("PyTorch");
        String gpus = engine.getGpuCount() > 0 ? engine.getGpuCount() + " GPU(s)" : "CPU only";
        return Finding
                .ok("PyTorch " + engine.getVersion() + " (" + gpus + ") from " + libtorchDir(engine.getVersion()));
    }

    /** The folder of DJL's cache the engine loaded libtorch from: its version, and PYTORCH_FLAVOR when set. */
    private static String libtorchDir(String version) {
        Path cache = Utils.getEngineCacheDir("pytorch");
        String flavor = System.getenv().getOrDefault("PYTORCH_FLAVOR", "");
        try (var dirs = Files.list(cache)) {
            return dirs.filter(dir -> dir.getFileName().toString().startsWith(version))
                    .filter(dir -> dir.getFileName().toString().contains(flavor)).sorted().map(Path::toString)
                    .reduce((a, b) -> b).orElse(cache.toString());
        } catch (IOException e) {
            return cache.toString();
        }
    }

    /** Debian's python with torch, torchvision and scikit-image: the reference the parity tests compare with. */
    static Finding python() {
        if (!Files.isExecutable(PYTHON)) {
            return Finding.warn(PYTHON + " is missing: the parity tests skip (and fail under CI=true): apt-get install "
                    + PYTHON_PACKAGES);
        }
        try {
            Process process = new ProcessBuilder(PYTHON.toString(), "-c",
                    "import torch, torchvision, skimage; print(torch.__version__, torchvision.__version__)")
                    .redirectErrorStream(true).start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Finding.warn(PYTHON + " did not import torch within 90 s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0) {
                String last = output.lines().reduce((a, b) -> b).orElse("exit " + process.exitValue());
                return Finding.warn(PYTHON + " cannot import the reference (" + last + "): the parity tests skip "
                        + "(and fail under CI=true): apt-get install " + PYTHON_PACKAGES);
            }
            String[] versions = output.split("\\s+");
            return Finding.ok(PYTHON + " with torch " + versions[0] + ", torchvision "
                    + (versions.length > 1 ? versions[1] : "?") + ", scikit-image (the parity tests' reference)");
        } catch (IOException e) {
            return Finding.warn("cannot run " + PYTHON + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Finding.warn("interrupted");
        }
    }

    static Finding built(Path projectRoot) {
        List<String> missing = new ArrayList<>();
        for (StackService service : StackService.values()) {
            if (!Files.exists(service.jar(projectRoot))) {
                missing.add(service.module());
            }
        }
        if (!missing.isEmpty()) {
            return Finding.warn("not built yet: " + String.join(", ", missing)
                    + " (./aidetect demo builds them on first use; or ./mvnw -DskipTests package)");
        }
        return Finding.ok("the three packaged services are in " + projectRoot.toAbsolutePath().normalize());
    }

    /**
     * The ports {@code up} listens on and the demo prefers: a taken one is not fatal here (the demo picks another,
     * {@code up} can be moved), so it is a warning.
     */
    static Finding ports() {
        List<Integer> wanted = new ArrayList<>(List.of(9092, 9093));
        for (StackService service : StackService.values()) {
            wanted.add(service.defaultPort());
        }
        List<Integer> taken = wanted.stream().filter(port -> !LocalPorts.free(port)).toList();
        String all = IntStream.range(0, wanted.size()).mapToObj(i -> String.valueOf(wanted.get(i)))
                .collect(Collectors.joining(" "));
        if (taken.isEmpty()) {
            return Finding.ok(all + " free (kafka, its controller, embedder, classifier, router)");
        }
        return Finding.warn("taken: " + taken + " (./aidetect up needs them: stop what listens (ss -ltnp shows who) "
                + "or move it with --kafka-port, --embedder-port, --classifier-port, --router-port; the demo takes "
                + "free ports instead)");
    }

    static Finding kafka(KafkaClientSettings cluster) {
        if (cluster == null) {
            return Finding.skip("no cluster configured (the demo starts its own; --bootstrap-servers or "
                    + "KAFKA_BOOTSTRAP_SERVERS names one to check)");
        }
        Duration timeout = KafkaReachability.DEFAULT_TIMEOUT;
        KafkaReachability.Answer answer = KafkaReachability.ask(cluster, timeout);
        String protocol = cluster.settings().getOrDefault("security.protocol", "PLAINTEXT");
        if (!answer.reachable()) {
            return Finding.fail("no broker answers at " + cluster.bootstrapServers() + " over " + protocol + " ("
                    + answer.problem() + "): start it, or correct --bootstrap-servers / KAFKA_BOOTSTRAP_SERVERS, or "
                    + "its client settings (--kafka-config / " + KafkaClientSettings.FILE_ENV + ")");
        }
        return Finding.ok(cluster.bootstrapServers() + " over " + protocol + ": " + answer.brokers()
                + " broker(s) answered");
    }
}
