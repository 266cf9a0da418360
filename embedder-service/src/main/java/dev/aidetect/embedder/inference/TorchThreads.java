package dev.aidetect.embedder.inference;

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
 * wait policy ({@code OMP_WAIT_POLICY}, read by libgomp when libtorch loads). On a CPU shared with the decode threads,
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
     * @param threads intra-op threads; empty: the available processors
     * @param waitPolicy {@code passive}, {@code active}, or empty to leave OpenMP's default
     */
    public static void apply(OptionalInt threads, int interopThreads, String waitPolicy) {
        int intra = threads.orElse(Runtime.getRuntime().availableProcessors());
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
        LOG.log(Level.INFO, "libtorch CPU threads: {0} intra-op, {1} inter-op, OpenMP wait policy {2}",
                System.getProperty(NUM_THREADS), System.getProperty(NUM_INTEROP_THREADS),
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
