package dev.aidetect.embedding;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.System.Logger.Level;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Decode threads that run at a lower scheduling priority (Linux nice, per thread) than the encoder's threads, so on a
 * CPU shared with libtorch they take the moments its threads leave idle (serial parts of a pass, gaps between passes)
 * instead of preempting an OpenMP thread mid-pass, which stalls its partners at the next barrier. They still get the
 * whole CPU when the encoder waits for images. Plain Java, so the benchmark uses the same threads.
 */
public final class DecodeThreads {
    private static final System.Logger LOG = System.getLogger(DecodeThreads.class.getName());
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final int PRIO_PROCESS = 0;

    private DecodeThreads() {
    }

    /** Daemon threads named {@code prefix0, prefix1, ...}, each reniced to {@code nice} (0: left as is). */
    public static ThreadFactory factory(String prefix, int nice) {
        if (nice < 0 || nice > 19) {
            throw new IllegalArgumentException("decode threads' nice must be 0 to 19 (lower priority only), got " + nice
                    + " (aidetect.embedder.decode-nice)");
        }
        ThreadFactory platform = Thread.ofPlatform().name(prefix, 0).daemon().factory();
        if (nice == 0) {
            return platform;
        }
        return task -> platform.newThread(() -> {
            renice(nice);
            task.run();
        });
    }

    /** Sets the calling thread's nice value; logs once and carries on at normal priority where that fails. */
    static void renice(int nice) {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle gettid = linker.downcallHandle(linker.defaultLookup().find("gettid").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT));
            MethodHandle setpriority = linker.downcallHandle(linker.defaultLookup().find("setpriority").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
            int tid = (int) gettid.invokeExact();
            if ((int) setpriority.invokeExact(PRIO_PROCESS, tid, nice) != 0 && WARNED.compareAndSet(false, true)) {
                LOG.log(Level.WARNING, "setpriority(nice {0}) failed for a decode thread; decoding at normal "
                        + "priority (aidetect.embedder.decode-nice)", nice);
            }
        } catch (Throwable e) {
            if (WARNED.compareAndSet(false, true)) {
                LOG.log(Level.WARNING, "Cannot renice decode threads (not Linux?); decoding at normal priority", e);
            }
        }
    }
}
