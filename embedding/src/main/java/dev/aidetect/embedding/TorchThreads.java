package dev.aidetect.embedding;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Sizes libtorch's CPU threads before DJL loads the engine (it reads them once, at load): intra-op threads
 * ({@code ai.djl.pytorch.num_threads}), inter-op threads ({@code ai.djl.pytorch.num_interop_threads}) and OpenMP's
 * wait policy ({@code OMP_WAIT_POLICY}, read by libgomp when libtorch loads). Intra-op threads are per inference thread
 * (libtorch sizes each calling thread's OpenMP team from the one setting), so by default the cores are shared out
 * among the inference threads rather than each of them claiming all. On a CPU shared with the decode threads,
 * a spinning OpenMP thread burns the core a decode thread needs while its partner finishes, so the service defaults to
 * {@code passive}. What the JVM's command line ({@code -D}) or the environment already sets wins. Plain Java, so the
 * benchmark applies the same defaults.
 */
public final class TorchThreads {
    private static final System.Logger LOG = System.getLogger(TorchThreads.class.getName());
    static final String NUM_THREADS = "ai.djl.pytorch.num_threads";
    static final String NUM_INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";
    static final String WAIT_POLICY = "OMP_WAIT_POLICY";

    private TorchThreads() {
    }

    /**
     * Inference threads (each with its own predictor, running its own forward passes) when none are configured: one on
     * a GPU, which runs one pass at a time anyway; on a CPU two, or one on a single core. Two passes side by side on a
     * core each beat one pass on both: on 2 cores (AMD EPYC Zen 4) ViT-B/32 does 17.7 images/s against 13.5, because
     * a pass on two OpenMP threads leaves both waiting at every barrier between operators.
     */
    public static int defaultInferenceThreads(boolean gpu) {
        return defaultInferenceThreads(gpu, Runtime.getRuntime().availableProcessors());
    }

    /** {@link #defaultInferenceThreads(boolean)} for {@code cores} cores. */
    public static int defaultInferenceThreads(boolean gpu, int cores) {
        return gpu ? 1 : Math.max(1, Math.min(2, cores));
    }

    /** Each inference thread's share of {@code cores}: its intra-op threads when none are configured. */
    public static int shareOf(int cores, int inferenceThreads) {
        return Math.max(1, cores / inferenceThreads);
    }

    /**
     * @param inferenceThreads threads that will run forward passes at the same time
     * @param threads intra-op threads per inference thread; empty: the available processors shared out among the
     *        inference threads
     * @param waitPolicy {@code passive}, {@code active}, or empty to leave OpenMP's default
     */
    public static void apply(int inferenceThreads, OptionalInt threads, int interopThreads, String waitPolicy) {
        if (inferenceThreads < 1) {
            throw new IllegalArgumentException("inference threads must be at least 1, got " + inferenceThreads
                    + " (aidetect.embedder.inference-threads)");
        }
        int intra = threads.orElse(shareOf(Runtime.getRuntime().availableProcessors(), inferenceThreads));
        if (intra < 1 || interopThreads < 1) {
            throw new IllegalArgumentException("torch threads must be at least 1, got " + intra + " intra-op and "
                    + interopThreads + " inter-op (aidetect.embedder.torch-threads, torch-interop-threads)");
        }
        setPropertyUnlessSet(NUM_THREADS, String.valueOf(intra));
        setPropertyUnlessSet(NUM_INTEROP_THREADS, String.valueOf(interopThreads));
        String policy = waitPolicy.strip().toUpperCase(Locale.ROOT);
        if (!policy.isEmpty() && System.getenv(WAIT_POLICY) == null) {
            if (!policy.equals("PASSIVE") && !policy.equals("ACTIVE")) {
                throw new IllegalArgumentException("OpenMP wait policy must be passive or active, got '" + waitPolicy
                        + "' (aidetect.embedder.omp-wait-policy)");
            }
            setenv(WAIT_POLICY, policy);
        }
        LOG.log(Level.INFO, "libtorch CPU threads: {0} intra-op per inference thread, {1} inter-op, OpenMP wait"
                + " policy {2}", System.getProperty(NUM_THREADS), System.getProperty(NUM_INTEROP_THREADS),
                System.getenv(WAIT_POLICY) != null
                        ? System.getenv(WAIT_POLICY) + " (environment)"
                        : policy.isEmpty() ? "default" : policy.toLowerCase(Locale.ROOT));
    }

    private static void setPropertyUnlessSet(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }

    /**
     * The C library's {@code setenv}, without overwriting: libgomp reads the process environment, which
     * {@link System#getenv} only snapshots. Runs at start-up, before the engine's threads exist.
     */
    private static void setenv(String name, String value) {
        try (Arena arena = Arena.ofConfined()) {
            Linker linker = Linker.nativeLinker();
            MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
            MemorySegment n = arena.allocateFrom(name);
            MemorySegment v = arena.allocateFrom(value);
            if ((int) setenv.invokeExact(n, v, 0) != 0) {
                LOG.log(Level.WARNING, "setenv({0}) failed: libtorch keeps OpenMP''s default wait policy", name);
            }
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "Cannot set " + name + "=" + value
                    + " (set it in the environment instead): libtorch keeps OpenMP's default", e);
        }
    }
}
