package dev.aidetect.topics;

import java.time.Duration;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/**
 * Bounds the time from SIGTERM to the exit of the process. Closing Kafka clients waits on the broker (a Kafka Streams
 * {@code close()} without a timeout waited for over 9 minutes for a broker that was stopping too), and Quarkus waits
 * for a start-up in progress before it stops. So, from the moment the JVM starts to shut down, a watchdog gives the
 * orderly stop {@link ShutdownConfig#deadline()}; what is still running then is abandoned and the process halts.
 * Abandoning is safe: every consumer commits only what it finished, and the router is exactly-once, so a halted stop
 * is a crash they already recover from.
 */
@ApplicationScoped
public class ShutdownDeadline {
    private static final Logger LOG = Logger.getLogger(ShutdownDeadline.class);
    /** The exit status of a process that had to be halted: the stop was not orderly. */
    static final int HALTED = 1;

    private final Duration deadline;

    public ShutdownDeadline(ShutdownConfig config) {
        this.deadline = config.deadline();
    }

    /** Armed first of all (before the wait for the broker), so a stop during start-up is bounded too. */
    void arm(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE - 1) StartupEvent event) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return; // tests and dev mode stop the application without stopping the JVM
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::startWatchdog, "shutdown-deadline"));
    }

    /** How long the orderly stop may take. */
    public Duration deadline() {
        return deadline;
    }

    private void startWatchdog() {
        // A daemon: it must not delay an exit that finishes in time (the JVM waits for shutdown hooks, not daemons).
        Thread.ofPlatform().daemon().name("shutdown-watchdog").start(() -> {
            try {
                Thread.sleep(deadline);
            } catch (InterruptedException e) {
                return;
            }
            LOG.errorf("The service did not stop within aidetect.shutdown.deadline (%s s) of the signal; halting"
                    + " (what was still closing is abandoned; consumers resume from their last commit)",
                    deadline.toSeconds());
            Runtime.getRuntime().halt(HALTED);
        });
    }
}
