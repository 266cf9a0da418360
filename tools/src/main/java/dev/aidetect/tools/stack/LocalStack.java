package dev.aidetect.tools.stack;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import dev.aidetect.common.MoreFiles;
import dev.aidetect.imaging.decode.TurboJpegLibrary;
import dev.aidetect.kafka.LocalKafkaCluster;
import dev.aidetect.kafka.LocalKafkaMain;
import dev.aidetect.schemas.kafka.KafkaClientSettings;
import dev.aidetect.schemas.kafka.TopicAdmin;

/**
 * The whole pipeline on this machine, every part its own process: a Kafka broker (unless an existing cluster is
 * given) and the three packaged services. Logs go to {@code <workDir>/logs}. Each start makes a new admin token for the
 * classifier's admin endpoints ({@code POST /models/{slot}/reload}), readable by this user only, in
 * {@code <workDir>/admin-token} ({@link #adminTokenFile()}); uploads to the router stay open. Closing stops everything it started,
 * services first; so does the end of this JVM (a shutdown hook), however it ends short of SIGKILL, so no child is
 * left running.
 */
public final class LocalStack implements AutoCloseable {
    /**
     * How long a process may take to get ready, the broker included: a broker restarted after a crash recovers its logs
     * first, and under chaos on a loaded 2-core machine that took more than a minute (60 s, the broker's bound before,
     * failed a run).
     */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final RuntimeEnv RUNTIME = RuntimeEnv.bundled();
    /** The file each start writes the classifier's new admin token to, in the work directory. */
    public static final String ADMIN_TOKEN_FILE = "admin-token";

    /**
     * @param projectRoot the repository root (where the modules' target folders are)
     * @param workDir scratch space: broker data, router state, logs; cleaned at start
     * @param externalBootstrap an existing cluster to use instead of starting a broker, or {@code null}
     * @param kafkaPort the broker's client port when one is started (its controller uses the next port)
     * @param partitions partitions of every pipeline topic
     * @param serviceEnv extra environment per service (model locations, timeouts)
     * @param servicePorts the HTTP port of each service that must have a fixed one (the caller checked it is free);
     *        the others take their default port when free, else any free one
     * @param kafkaConfigFile the Kafka client settings file of the existing cluster, handed to every service
     *        ({@code AIDETECT_KAFKA_CONFIG_FILE}), or {@code null}; never used with the stack's own broker
     * @param kafkaConfigDir a directory with each service's own client settings file instead
     *        ({@link StackService#kafkaConfigFile}: a principal per service on a cluster with ACLs), or {@code null};
     *        never used with the stack's own broker
     * @param brokers how many brokers the stack's own cluster has: 1 (the default, fastest), or 3 (a KRaft quorum of
     *        three, replication factor 3, min ISR 2: any one broker may die), each its own process; the client ports
     *        follow {@code kafkaPort} two apart, each controller on the port after its broker's
     */
    public record Settings(Path projectRoot, Path workDir, String externalBootstrap, int kafkaPort, int partitions,
            Map<StackService, Map<String, String>> serviceEnv, Map<StackService, Integer> servicePorts,
            Path kafkaConfigFile, Path kafkaConfigDir, int brokers) {
        public Settings {
            if (brokers < 1) {
                throw new IllegalArgumentException("the stack needs at least one broker, not " + brokers);
            }
        }

        /** Every service with the same client settings file (or none), a single broker. */
        public Settings(Path projectRoot, Path workDir, String externalBootstrap, int kafkaPort, int partitions,
                Map<StackService, Map<String, String>> serviceEnv, Map<StackService, Integer> servicePorts,
                Path kafkaConfigFile) {
            this(projectRoot, workDir, externalBootstrap, kafkaPort, partitions, serviceEnv, servicePorts,
                    kafkaConfigFile, null, 1);
        }

        /** Services on their default ports (or free ones when taken), no client settings file, a single broker. */
        public Settings(Path projectRoot, Path workDir, String externalBootstrap, int kafkaPort, int partitions,
                Map<StackService, Map<String, String>> serviceEnv) {
            this(projectRoot, workDir, externalBootstrap, kafkaPort, partitions, serviceEnv, Map.of(), null);
        }
    }

    private final Settings settings;
    private final PrintWriter progress;
    private final Set<StackService> wanted;
    /** Started processes in start order; read without a lock by {@link #kill}, which must not wait for a stop. */
    private final List<ManagedProcess> processes = new CopyOnWriteArrayList<>();
    private final Object stopping = new Object();
    private final Map<StackService, ManagedProcess> services = new EnumMap<>(StackService.class);
    private final Map<StackService, Integer> ports = new EnumMap<>(StackService.class);
    private final Thread shutdownHook = new Thread(this::stopFromHook, "local-stack-shutdown");
    private String bootstrapServers;
    /** The stack's own brokers by node id (1 for the single broker); empty on an existing cluster. */
    private final Map<Integer, ManagedProcess> brokers = new ConcurrentSkipListMap<>();
    /** How each of them was started: a restart runs the same command, on the same ports and data. */
    private final Map<Integer, List<String>> brokerCommands = new ConcurrentSkipListMap<>();
    private LocalKafkaCluster cluster;
    private Path adminTokenFile;

    private LocalStack(Settings settings, PrintWriter progress, Set<StackService> wanted) {
        this.settings = settings;
        this.progress = progress;
        this.wanted = wanted;
    }

    /** Starts the broker and the services and waits until every service reports ready. */
    public static LocalStack start(Settings settings, PrintWriter progress) {
        return start(settings, progress, EnumSet.allOf(StackService.class));
    }

    /** Starts the broker and only the given services (a benchmark of one service), waiting until they are ready. */
    public static LocalStack start(Settings settings, PrintWriter progress, Set<StackService> services) {
        LocalStack stack = new LocalStack(settings, progress, EnumSet.copyOf(services));
        Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException e) {
            // Interrupted (a stop asked for while starting): stop what started in order, then pass the interrupt on.
            boolean interrupted = Thread.interrupted();
            stack.close();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
    }

    private void startAll() {
        checkBuilt();
        if (wanted.contains(StackService.EMBEDDER)) {
            TurboJpegLibrary.fallbackNote("this local run (aidetect.embedder.jpeg-decoder=imageio)")
                    .ifPresent(note -> progress.println("  " + note));
        }
        MoreFiles.deleteRecursively(settings.workDir().resolve("kafka"));
        MoreFiles.deleteRecursively(settings.workDir().resolve("router-state"));
        adminTokenFile = writeAdminToken(settings.workDir().resolve(ADMIN_TOKEN_FILE));
        bootstrapServers = settings.externalBootstrap() != null
                ? settings.externalBootstrap()
                : settings.brokers() == 1 ? startBroker() : startCluster();
        for (StackService service : wanted) {
            Integer fixed = settings.servicePorts().get(service);
            startService(service, fixed != null ? fixed : Port.preferredOrFree(service.defaultPort()));
        }
        for (StackService service : wanted) {
            int port = ports.get(service);
            services.get(service).awaitReady(() -> ready(port), READY_TIMEOUT);
            progress.printf("  %-19s ready on :%d (log %s)%n", service.module(), port,
                    settings.projectRoot().relativize(services.get(service).log().toAbsolutePath()));
        }
    }

    private void checkBuilt() {
        List<String> missing = new ArrayList<>();
        for (StackService service : wanted) {
            if (!Files.exists(service.jar(settings.projectRoot()))) {
                missing.add(service.jar(settings.projectRoot()).toString());
            }
        }
        if (settings.externalBootstrap() == null && brokerJar() == null) {
            missing.add("kafka-local/target/kafka-local-*.jar");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("not built: " + missing
                    + "; run ./mvnw -DskipTests package (./aidetect demo does this for you)");
        }
    }

    private String startBroker() {
        int port = Port.preferredOrFree(settings.kafkaPort());
        int controllerPort = Port.preferredOrFree(port + 1);
        brokerCommands.put(1, List.of(javaCommand(), "-Xmx512m", "-jar", brokerJar().toString(), "--port",
                String.valueOf(port), "--controller-port", String.valueOf(controllerPort), "--dir",
                settings.workDir().resolve("kafka").toString(), "--partitions", String.valueOf(settings.partitions())));
        startBrokerNode(1);
        progress.printf("  %-19s ready on :%d%n", "kafka (KRaft)", port);
        return "localhost:" + port;
    }

    /** Starts broker {@code id} by its command and waits until it is ready (a cluster's node: in the quorum). */
    private void startBrokerNode(int id) {
        launchBroker(id);
        awaitBroker(id);
    }

    private void launchBroker(int id) {
        String name = cluster == null ? "kafka" : "kafka-" + id;
        ManagedProcess broker = ManagedProcess.start(name, brokerCommands.get(id), Map.of(),
                settings.workDir().resolve("logs/" + name + ".log"));
        processes.add(broker);
        brokers.put(id, broker);
    }

    private void awaitBroker(int id) {
        ManagedProcess broker = brokers.get(id);
        String ready = cluster == null ? "kafka ready at" : LocalKafkaMain.NODE_READY + " " + id + " ready at";
        broker.awaitReady(() -> broker.logContains(ready), READY_TIMEOUT);
    }

    /**
     * Kills the stack's single broker as a crash would (SIGKILL) and starts it again on the same ports and data,
     * waiting until it is ready; the services are left alone, to ride it out. The killed broker's log is kept beside
     * the new one as {@code kafka-killed.log}.
     *
     * @throws IllegalStateException when the stack uses an existing cluster or runs several brokers
     */
    public void crashAndRestartBroker() {
        if (cluster != null || !brokers.containsKey(1)) {
            throw new IllegalStateException("crashAndRestartBroker needs the stack's own single broker (on "
                    + bootstrapServers + "); on its own cluster, killBroker(id) and restartBroker(id)");
        }
        killBroker(1);
        startBrokerNode(1);
    }

    /**
     * Starts {@link Settings#brokers} KRaft nodes side by side (each waits for a majority of the quorum), then creates
     * the pipeline topics with one copy on each of three brokers.
     */
    private String startCluster() {
        int[] next = {settings.kafkaPort()};
        cluster = LocalKafkaCluster.plan(settings.brokers(), settings.workDir().resolve("kafka"),
                () -> settings.kafkaPort() == 0 ? Port.preferredOrFree(0) : Port.preferredOrFree(next[0]++));
        for (LocalKafkaCluster.Node node : cluster.nodes()) {
            List<String> command = new ArrayList<>(List.of(javaCommand(), "-Xmx512m", "-jar",
                    brokerJar().toString()));
            command.addAll(cluster.nodeArgs(node.id()));
            brokerCommands.put(node.id(), List.copyOf(command));
            launchBroker(node.id());
        }
        for (LocalKafkaCluster.Node node : cluster.nodes()) {
            awaitBroker(node.id());
        }
        TopicAdmin.ensure(cluster.bootstrapServers(), settings.partitions(), cluster.replicationFactor());
        progress.printf("  %-19s %d brokers ready on %s (replication factor %d, min ISR %d)%n", "kafka (KRaft)",
                cluster.nodes().size(), cluster.bootstrapServers(), cluster.replicationFactor(),
                cluster.minInsyncReplicas());
        return cluster.bootstrapServers();
    }

    /**
     * Kills broker {@code id} of the stack's own brokers as a crash would (SIGKILL); {@link #restartBroker} starts it
     * again on its data. Its log is kept beside the next one's as {@code kafka[-id]-killed.log}.
     */
    public void killBroker(int id) {
        ManagedProcess node = brokers.remove(id);
        if (node == null) {
            throw new IllegalArgumentException("the stack has no running broker " + id + " of its own; it has "
                    + brokers.keySet());
        }
        node.kill();
        processes.remove(node);
        keepKilledLog(node, node.name());
    }

    /**
     * Starts broker {@code id} of the stack's own cluster again, on its data and ports, and waits until it has joined
     * the quorum.
     */
    public void restartBroker(int id) {
        if (cluster == null) {
            throw new IllegalStateException("restartBroker needs the stack's own cluster (Settings.brokers above 1)");
        }
        startBrokerNode(id);
    }

    /** The stack's own cluster, when it runs several brokers. */
    public Optional<LocalKafkaCluster> cluster() {
        return Optional.ofNullable(cluster);
    }

    private void startService(StackService service, int port) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("AIDETECT_TOPICS_PARTITIONS", String.valueOf(settings.partitions()));
        if (cluster != null) {
            // Topics (the router's internal ones too) get a copy on each of three brokers, as the cluster's own do.
            env.put("AIDETECT_TOPICS_REPLICATION_FACTOR", String.valueOf(cluster.replicationFactor()));
        }
        env.put("AIDETECT_ROUTER_STATE_DIR", settings.workDir().resolve("router-state").toString());
        // The client settings are the existing cluster's; the stack's own broker is plaintext, whatever this shell says.
        env.put(KafkaClientSettings.FILE_ENV, serviceKafkaConfig(service));
        env.putAll(RUNTIME.djlEnvironment());
        if (service == StackService.CLASSIFIER) {
            env.put("AIDETECT_ADMIN_TOKEN_FILE", adminTokenFile.toAbsolutePath().toString());
        }
        if (service == StackService.EMBEDDER && !TurboJpegLibrary.available()) {
            // The embedder refuses to start without libjpeg-turbo unless told otherwise: the local run says so above.
            env.put("AIDETECT_EMBEDDER_JPEG_DECODER", "imageio");
        }
        env.putAll(settings.serviceEnv().getOrDefault(service, Map.of()));
        List<String> command = new ArrayList<>(List.of(javaCommand()));
        command.addAll(RUNTIME.jvmFlags());
        command.addAll(List.of("-Xmx1g", "-jar", service.jar(settings.projectRoot()).toString()));
        ManagedProcess process = ManagedProcess.start(service.module(), command, env,
                settings.workDir().resolve("logs/" + service.module() + ".log"));
        processes.add(process);
        services.put(service, process);
        ports.put(service, port);
    }

    /** The client settings file {@code service} gets, or {@code null}. */
    private String serviceKafkaConfig(StackService service) {
        if (settings.externalBootstrap() == null) {
            return null;
        }
        Path file = settings.kafkaConfigDir() != null
                ? service.kafkaConfigFile(settings.kafkaConfigDir())
                : settings.kafkaConfigFile();
        return file == null ? null : file.toAbsolutePath().toString();
    }

    /**
     * Kills a service as a crash would and starts it again on the same port, waiting until it is ready. The killed
     * process's log is kept beside the new one as {@code <module>-killed.log}.
     */
    public void crashAndRestart(StackService service) {
        ManagedProcess old = services.get(service);
        old.kill();
        processes.remove(old);
        keepKilledLog(old, service.module());
        startService(service, ports.get(service));
        services.get(service).awaitReady(() -> ready(ports.get(service)), READY_TIMEOUT);
    }

    /** Moves a killed process's log aside (appending, so the logs of several kills are all kept). */
    private static void keepKilledLog(ManagedProcess killed, String name) {
        Path kept = killed.log().resolveSibling(name + "-killed.log");
        try {
            Files.write(kept, Files.readAllBytes(killed.log()), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            Files.delete(killed.log());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the log of the killed " + name + ": " + e.getMessage(), e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The file holding this run's admin token (the classifier's {@code AIDETECT_ADMIN_TOKEN_FILE}). */
    public Path adminTokenFile() {
        return adminTokenFile;
    }

    /** This run's admin token, for {@code Authorization: Bearer} on the classifier's admin endpoints. */
    public String adminToken() {
        try {
            return Files.readString(adminTokenFile).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the admin token back from " + adminTokenFile, e);
        }
    }

    /** A fresh random token (256 bits, hex), in a file only this user may read, replacing the last run's. */
    private static Path writeAdminToken(Path file) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            return Files.writeString(file, HexFormat.of().formatHex(secret) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the admin token to " + file + ": " + e.getMessage(), e);
        }
    }

    /** How a client reaches the stack's cluster: its address, and the existing cluster's client settings if any. */
    public KafkaClientSettings clientSettings() {
        boolean external = settings.externalBootstrap() != null && settings.kafkaConfigFile() != null;
        return external
                ? KafkaClientSettings.of(bootstrapServers, KafkaClientSettings.readFile(settings.kafkaConfigFile()))
                : KafkaClientSettings.plaintext(bootstrapServers);
    }

    public int port(StackService service) {
        return ports.get(service);
    }

    /** The operating system's id of the broker's process; empty when the stack uses an existing cluster. */
    public OptionalLong brokerPid() {
        ManagedProcess first = brokers.get(1);
        return first == null ? OptionalLong.empty() : OptionalLong.of(first.pid());
    }

    /** The operating system's id of a running service's process (to read its memory figures). */
    public long pid(StackService service) {
        return services.get(service).pid();
    }

    private static boolean ready(int port) {
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready"))
                            .timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Path brokerJar() {
        Path target = settings.projectRoot().resolve("kafka-local/target");
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            return files.filter(p -> p.getFileName().toString().matches("kafka-local-.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().contains("sources")).findFirst().orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** The log file of a running service. */
    public Path log(StackService service) {
        return services.get(service).log();
    }

    /** Whether every process the stack started still runs. */
    public boolean allAlive() {
        return processes.stream().allMatch(ManagedProcess::alive);
    }

    /** Names of the processes that have exited by themselves while the stack ran (a crashed service). */
    public List<String> exited() {
        return processes.stream().filter(p -> !p.alive()).map(ManagedProcess::name).toList();
    }

    /**
     * Stops everything it started: the services side by side, then the broker, each with SIGTERM and
     * {@link ManagedProcess#STOP_GRACE} to exit; stopping again does nothing.
     *
     * @return the names of those that did not exit in time and were killed
     */
    public List<String> stop() {
        List<String> killed = new ArrayList<>();
        synchronized (stopping) {
            // The services stop side by side (each takes seconds to leave its groups), then the brokers they used, also
            // side by side (a broker of a cluster stopping after the others waits for a controller to approve).
            List<ManagedProcess> started = List.copyOf(processes);
            List<ManagedProcess> serviceProcesses = started.stream().filter(p -> !brokers.containsValue(p)).toList();
            List<ManagedProcess> brokerProcesses = started.stream().filter(brokers::containsValue).toList();
            for (List<ManagedProcess> group : List.of(serviceProcesses, brokerProcesses)) {
                group.forEach(ManagedProcess::askToStop);
                for (ManagedProcess process : group) {
                    if (!process.awaitStop()) {
                        killed.add(process.name());
                    }
                }
            }
            processes.clear();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook is running or has run, and stops the same way.
        }
        return killed;
    }

    /** Kills every process at once (SIGKILL), without waiting for an orderly stop in progress: a second Ctrl-C. */
    public void kill() {
        processes.forEach(ManagedProcess::kill);
    }

    private void stopFromHook() {
        if (!processes.isEmpty()) {
            progress.println("  stopping the local stack (" + processes.size() + " processes)");
            progress.flush();
        }
        stop();
    }

    @Override
    public void close() {
        stop();
    }
}
