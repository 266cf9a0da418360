package dev.aidetect.tools.operate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT), SIGTERM and SIGHUP as a request to stop, for a command that runs until told to: instead of the
 * JVM's exit with 128 + the signal's number, the command's own thread stops what it started, in order, and returns
 * its exit code. A second signal while stopping runs {@code force} (kill everything now). Closing puts the JVM's
 * handlers back.
 */
final class StopSignals implements AutoCloseable {
    private static final List<String> SIGNALS = List.of("INT", "TERM", "HUP");

    private final CountDownLatch requested = new CountDownLatch(1);
    private final List<Runnable> restore = new ArrayList<>();
    private volatile Runnable force = () -> {
    };
    private volatile Thread interruptible;
    private volatile String signal;

    private StopSignals() {
    }

    /** Takes over the stop signals this JVM can handle (one ignored by the shell that started us stays ignored). */
    static StopSignals install() {
        StopSignals signals = new StopSignals();
        for (String name : SIGNALS) {
            try {
                Signal sig = new Signal(name);
                SignalHandler previous = Signal.handle(sig, s -> signals.received("SIG" + s.getName()));
                signals.restore.add(() -> Signal.handle(sig, previous));
            } catch (IllegalArgumentException e) {
                // Not available here (the JVM runs with -Xrs, or the platform lacks it): the JVM's default stays.
            }
        }
        return signals;
    }

    /** While set, a stop request interrupts {@code thread} (so a start in progress gives up at once). */
    void interruptOnStop(Thread thread) {
        interruptible = thread;
        if (stopRequested() && thread != null) {
            thread.interrupt();
        }
    }

    /** What a second signal does. */
    void onSecondSignal(Runnable force) {
        this.force = force;
    }

    private void received(String name) {
        if (signal != null) {
            force.run();
            return;
        }
        signal = name;
        requested.countDown();
        Thread thread = interruptible;
        if (thread != null) {
            thread.interrupt();
        }
    }

    boolean stopRequested() {
        return signal != null;
    }

    /** The signal (or reason) that asked to stop, or {@code null}. */
    String signal() {
        return signal;
    }

    /** Waits up to {@code timeout} for a stop request; true once one came. */
    boolean await(Duration timeout) throws InterruptedException {
        return requested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        restore.forEach(Runnable::run);
    }
}
