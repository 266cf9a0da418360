package dev.aidetect.tools.operate;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.KafkaClientSettings;
import dev.aidetect.schemas.kafka.TopicAdmin;
import dev.aidetect.tools.cli.CommandFailure;
import dev.aidetect.tools.cli.ExitCodes;
import dev.aidetect.tools.cli.OwnBrokerOrClusterOption;
import dev.aidetect.tools.stack.LocalStack;
import dev.aidetect.tools.stack.ModelOptions;
import dev.aidetect.tools.stack.Port;
import dev.aidetect.tools.stack.StackService;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "up", mixinStandardHelpOptions = true, description = "Start a Kafka broker and the three services on "
        + "fixed ports (Kafka 9092, embedder 8081, classifier 8082, router 8083: ./aidetect submit finds them without "
        + "options), print the endpoints, and keep them running until Ctrl-C or SIGTERM, which stops everything in "
        + "order. Models: the demo's (trained on first use), or those the options or the services' environment "
        + "variables name. Exit code 0 after an orderly stop; 1 when a service dies or something must be killed (a "
        + "second Ctrl-C kills everything at once).")
public final class UpCommand implements Callable<Integer> {
    /** The line, on standard output, that says the stack is ready (what scripts and tests wait for). */
    public static final String READY = "ready:";
    private static final Duration CRASH_POLL = Duration.ofSeconds(1);

    @Option(names = "--work-dir", defaultValue = ".aidetect/up", description = "Broker data, router state and logs, "
            + "cleaned at start (default ${DEFAULT-VALUE}).")
    Path workDir;

    @Mixin
    OwnBrokerOrClusterOption kafka;

    @Option(names = "--kafka-config-dir", paramLabel = "DIR", description = "Each service's own Kafka client settings, "
            + "for a cluster with a principal and ACLs per service: DIR/embedder.properties, DIR/classifier.properties "
            + "and DIR/router.properties (instead of giving every service --kafka-config's file). Needs a cluster; up "
            + "itself creates the pipeline topics first with --kafka-config's settings (the admin's: the services' "
            + "principals need not be allowed to create topics).")
    Path kafkaConfigDir;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "The broker's port (its controller takes the next free one; default ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--brokers", defaultValue = "1", description = "Brokers of the stack's own Kafka: 1 (default, "
            + "fastest), or 3: a KRaft quorum of three, every topic on three brokers with min ISR 2, so any one broker "
            + "may die (each its own process; client ports from --kafka-port on, two apart).")
    int brokers;

    @Option(names = "--embedder-port", defaultValue = "8081", description = "The embedder's HTTP port (default ${DEFAULT-VALUE}).")
    int embedderPort;

    @Option(names = "--classifier-port", defaultValue = "8082", description = "The classifier's HTTP port (default ${DEFAULT-VALUE}).")
    int classifierPort;

    @Option(names = "--router-port", defaultValue = "8083", description = "The router's HTTP port: verdict lookups and the verdict stream (default ${DEFAULT-VALUE}).")
    int routerPort;

    @Option(names = "--partitions", defaultValue = "3", description = "Partitions per pipeline topic (default ${DEFAULT-VALUE}).")
    int partitions;

    @Mixin
    ModelOptions models;

    @Option(names = "--stage-timeout", paramLabel = "DURATION", description = "How long the router waits for one stage before a case ends TIMED_OUT, ISO-8601 (default: "
            + "the router's, or AIDETECT_ROUTER_STAGE_TIMEOUT).")
    Duration stageTimeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path root = Path.of("").toAbsolutePath();
        if (brokers != 1 && brokers != 3) {
            throw new ParameterException(spec.commandLine(), "--brokers must be 1 or 3, not " + brokers);
        }
        KafkaClientSettings given = kafka.givenOrNull();
        if (given != null && brokers != 1) {
            throw new ParameterException(spec.commandLine(), "--brokers starts brokers of the stack's own; it cannot "
                    + "go with an existing cluster (" + given.bootstrapServers() + ")");
        }
        KafkaClientSettings cluster = kafka.reachableOrNull();
        requireServiceConfigs(cluster);
        Map<StackService, Integer> ports = requireFreePorts(cluster == null);
        models.given();
        long start = System.nanoTime();
        err.println("[1/3] models");
        // Until the stack starts, a signal ends the JVM as usual: nothing runs yet that needs an orderly stop.
        Map<StackService, Map<String, String>> env = serviceEnv(root, err);
        err.printf("[2/3] starting %s (logs in %s)%n", cluster == null
                ? (brokers == 1 ? "kafka" : brokers + " kafka brokers") + " and the three services"
                : "the three services on " + cluster.bootstrapServers(), workDir.resolve("logs"));
        err.flush();
        try (StopSignals signals = StopSignals.install()) {
            if (kafkaConfigDir != null) {
                createTopics(cluster, err);
            }
            LocalStack.Settings settings = new LocalStack.Settings(root, workDir,
                    cluster == null ? null : cluster.bootstrapServers(), kafkaPort, partitions, env, ports,
                    kafka.configFileOrNull(), kafkaConfigDir, brokers);
            LocalStack stack;
            signals.interruptOnStop(Thread.currentThread());
            try {
                stack = LocalStack.start(settings, err);
            } catch (RuntimeException e) {
                if (signals.stopRequested()) {
                    Thread.interrupted();
                    err.printf("stopped on %s before the stack was ready; everything it had started is stopped%n",
                            signals.signal());
                    return ExitCodes.OK;
                }
                throw e;
            } finally {
                signals.interruptOnStop(null);
                Thread.interrupted();
            }
            try (stack) {
                AtomicBoolean forced = new AtomicBoolean();
                signals.onSecondSignal(() -> {
                    forced.set(true);
                    err.println("  second signal: killing everything now");
                    err.flush();
                    stack.kill();
                });
                printEndpoints(stack, cluster, out, root);
                err.printf("[3/3] running (up in %d s); Ctrl-C stops everything%n",
                        (System.nanoTime() - start) / 1_000_000_000L);
                err.flush();
                List<String> crashed = runUntilStopped(stack, signals);
                err.printf("stopping (%s)%n", crashed.isEmpty()
                        ? signals.signal()
                        : String.join(", ", crashed)
                                + " exited by itself; see its log in " + workDir.resolve("logs"));
                err.flush();
                long stopping = System.nanoTime();
                List<String> killed = stack.stop();
                if (forced.get()) {
                    err.println("killed everything on the second signal");
                    return ExitCodes.FAILURE;
                }
                if (!killed.isEmpty()) {
                    err.printf("stopped, but %s did not exit within the grace and had to be killed%n", killed);
                } else {
                    err.printf("stopped everything in %d s%n", (System.nanoTime() - stopping) / 1_000_000_000L);
                }
                return crashed.isEmpty() && killed.isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
            }
        }
    }

    /** Waits for a stop signal, checking that every process still runs; returns those that exited by themselves. */
    private static List<String> runUntilStopped(LocalStack stack, StopSignals signals) throws InterruptedException {
        while (!signals.await(CRASH_POLL)) {
            List<String> exited = stack.exited();
            if (!exited.isEmpty()) {
                return exited;
            }
        }
        return List.of();
    }

    /**
     * Every port the stack must listen on, checked free before anything starts: a stack on other ports than the
     * defaults would not be found by {@code submit}, so a taken port is an error, not a reason to pick another.
     */
    private Map<StackService, Integer> requireFreePorts(boolean ownBroker) {
        if (ownBroker) {
            Port.requireFree(kafkaPort, "--kafka-port");
        }
        Map<StackService, Integer> ports = new EnumMap<>(StackService.class);
        ports.put(StackService.EMBEDDER, Port.requireFree(embedderPort, "--embedder-port"));
        ports.put(StackService.CLASSIFIER, Port.requireFree(classifierPort, "--classifier-port"));
        ports.put(StackService.ROUTER, Port.requireFree(routerPort, "--router-port"));
        if (ports.values().stream().distinct().count() < 3 || (ownBroker && ports.containsValue(kafkaPort))) {
            throw new CommandFailure("the broker and the services need a port each; --kafka-port, --embedder-port, "
                    + "--classifier-port and --router-port name the same port twice");
        }
        return ports;
    }

    /** With {@code --kafka-config-dir}: a cluster is given, and each service's file is there and readable. */
    private void requireServiceConfigs(KafkaClientSettings cluster) {
        if (kafkaConfigDir == null) {
            return;
        }
        if (cluster == null) {
            throw new ParameterException(spec.commandLine(), "--kafka-config-dir is for an existing cluster: give "
                    + "its address (--bootstrap-servers) and the admin's settings (--kafka-config) too");
        }
        for (StackService service : StackService.values()) {
            try {
                KafkaClientSettings.readFile(service.kafkaConfigFile(kafkaConfigDir));
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(e.getMessage() + " (--kafka-config-dir needs embedder.properties, "
                        + "classifier.properties and router.properties)", e);
            }
        }
    }

    /**
     * Creates the missing pipeline topics as {@code --kafka-config}'s principal, with the replication factor the
     * services would use (env {@code AIDETECT_TOPICS_REPLICATION_FACTOR}, default 1): on a cluster with a principal
     * per service, the services may only find them.
     */
    private void createTopics(KafkaClientSettings cluster, PrintWriter err) {
        String replication = System.getenv().getOrDefault("AIDETECT_TOPICS_REPLICATION_FACTOR", "1");
        try {
            TopicAdmin.ensure(cluster.admin(Map.of()), Topics.allWithDeadLetters(), partitions,
                    Short.parseShort(replication));
        } catch (IllegalStateException e) {
            throw new CommandFailure(e.getMessage(), e);
        }
        err.printf("  pipeline topics ready on %s (%d partitions, created as %s's principal)%n",
                cluster.bootstrapServers(), partitions, kafka.configFileOrNull());
    }

    /** Each service's model settings (the options', the demo's for the rest), and the router's stage timeout. */
    private Map<StackService, Map<String, String>> serviceEnv(Path root, PrintWriter err) throws Exception {
        Map<StackService, Map<String, String>> env = new EnumMap<>(models.serviceEnv(root, err));
        if (stageTimeout != null) {
            env.put(StackService.ROUTER, Map.of("AIDETECT_ROUTER_STAGE_TIMEOUT", stageTimeout.toString()));
        }
        return env;
    }

    private void printEndpoints(LocalStack stack, KafkaClientSettings cluster, PrintWriter out, Path root) {
        out.printf("%-19s %s%s%n", "kafka bootstrap", stack.bootstrapServers(),
                cluster != null && kafka.configFileOrNull() != null
                        ? " (client settings " + kafka.configFileOrNull()
                                + (kafkaConfigDir != null ? "; each service's own in " + kafkaConfigDir : "") + ")"
                        : "");
        for (StackService service : StackService.values()) {
            String url = "http://localhost:" + stack.port(service);
            out.printf("%-19s %s  health %s/q/health/ready  metrics %s/q/metrics  log %s%n", service.module(), url,
                    url, url, root.relativize(stack.log(service).toAbsolutePath()));
        }
        String router = "http://localhost:" + stack.port(StackService.ROUTER);
        out.printf("%-19s %s/verdicts/{imageId}%n", "verdict lookup", router);
        out.printf("%-19s %s/verdicts/stream%n", "verdict stream", router);
        out.printf("%-19s %s/  (drop images in a browser, watch their verdicts)%n", "verdict page", router);
        Path token = root.relativize(stack.adminTokenFile().toAbsolutePath());
        out.printf("%-19s %s  (new each run; the classifier's POST /models/{slot}/reload takes it: curl -X POST "
                + "-H \"Authorization: Bearer $(cat %s)\" http://localhost:%d/models/detection-head/reload)%n",
                "admin token", token, token, stack.port(StackService.CLASSIFIER));
        out.printf("%s ./aidetect submit <folder> (or --uri URL) sends images here; Ctrl-C stops everything%n", READY);
        out.flush();
    }
}
