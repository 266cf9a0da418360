package dev.aidetect.e2e;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import dev.aidetect.kafka.KafkaEndpoint;
import dev.aidetect.tools.stack.LocalStack;
import dev.aidetect.tools.stack.StackService;
import dev.aidetect.tools.train.DemoModels;

/**
 * The packaged pipeline (broker, embedder, classifier, router as processes) with the demo models and samples, started
 * once per test JVM and shared by every end-to-end test that takes it as a parameter; stopped when the run ends.
 * Starting it costs a minute on a small machine, so tests share it rather than each starting their own.
 *
 * @param stack the running services
 * @param samples the folder of submitted images: 40 of every source, plus the broken files
 * @param workDir scratch space of the stack (logs, router state)
 *
 * <p>
 * The embedder fetches {@code image.uri}s from {@value #IMAGE_HOST} over plain http, where tests serve images
 * themselves; the fetch policy refuses that address and scheme by default.
 */
public record RunningPipeline(LocalStack stack, Path samples, Path workDir) implements AutoCloseable {
    private static final Path ROOT = Path.of(System.getProperty("aidetect.project.root", "..")).toAbsolutePath();
    /** The one host the services fetch image uris from in these tests: a server of the test's own on loopback. */
    public static final String IMAGE_HOST = "127.0.0.1";

    private static RunningPipeline start() throws Exception {
        Path work = ROOT.resolve("end-to-end/target/e2e");
        PrintWriter log = new PrintWriter(System.out, true);
        DemoModels models = DemoModels.prepare(ROOT, work, log);
        Path samples = DemoModels.writeSamples(work.resolve("samples"), 40, log);
        LocalStack stack = LocalStack.start(new LocalStack.Settings(ROOT, work, KafkaEndpoint.bootstrapServers(), 0, 3,
                withLoopbackFetches(models.serviceEnv(Duration.ofSeconds(90)))), log);
        return new RunningPipeline(stack, samples, work);
    }

    /**
     * The services' environment, plus: the embedder and the classifier fetch image uris from a plain-http server on
     * this machine's loopback address (the tests' image server; see {@link #IMAGE_HOST}), as both must for an image
     * submitted by uri to reach attribution.
     */
    private static Map<StackService, Map<String, String>> withLoopbackFetches(
            Map<StackService, Map<String, String>> serviceEnv) {
        Map<StackService, Map<String, String>> env = new EnumMap<>(StackService.class);
        serviceEnv.forEach((service, vars) -> env.put(service, new HashMap<>(vars)));
        for (var service : Map.of(StackService.EMBEDDER, "AIDETECT_EMBEDDER_FETCH_",
                StackService.CLASSIFIER, "AIDETECT_CLASSIFIER_FETCH_").entrySet()) {
            Map<String, String> vars = env.computeIfAbsent(service.getKey(), s -> new HashMap<>());
            vars.put(service.getValue() + "ALLOWED_HOSTS", IMAGE_HOST);
            vars.put(service.getValue() + "ALLOW_PLAIN_HTTP", "true");
            vars.put(service.getValue() + "ALLOW_PRIVATE_ADDRESSES", "true");
        }
        return env;
    }

    /** The router's Kafka Streams state directory (LocalStack cleans it only when the stack starts). */
    public Path routerStateDir() {
        return workDir.resolve("router-state");
    }

    @Override
    public void close() {
        stack.close();
    }

    /** Resolves a {@link RunningPipeline} parameter, starting the pipeline on first use. */
    public static final class Provider implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == RunningPipeline.class;
        }

        @Override
        public RunningPipeline resolveParameter(ParameterContext parameter, ExtensionContext context) {
            // The root store closes AutoCloseable values when the whole test run ends.
            return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .computeIfAbsent(RunningPipeline.class, key -> {
                        try {
                            return start();
                        } catch (Exception e) {
                            throw new IllegalStateException("the pipeline did not start: " + e.getMessage(), e);
                        }
                    }, RunningPipeline.class);
        }
    }
}
