package dev.aidetect.e2e;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import dev.aidetect.kafka.KafkaEndpoint;
import dev.aidetect.tools.stack.LocalStack;
import dev.aidetect.tools.train.DemoModels;

/**
 * The packaged pipeline (broker, embedder, classifier, router as processes) with the demo models and samples, started
 * once per test JVM and shared by every end-to-end test that takes it as a parameter; stopped when the run ends.
 * Starting it costs a minute on a small machine, so tests share it rather than each starting their own.
 *
 * @param stack the running services
 * @param samples the folder of submitted images: 40 of every source, plus the broken files
 * @param workDir scratch space of the stack (logs, router state)
 */
public record RunningPipeline(LocalStack stack, Path samples, Path workDir) implements AutoCloseable {
    private static final Path ROOT = Path.of(System.getProperty("aidetect.project.root", "..")).toAbsolutePath();

    private static RunningPipeline start() throws Exception {
        Path work = ROOT.resolve("end-to-end/target/e2e");
        PrintWriter log = new PrintWriter(System.out, true);
        DemoModels models = DemoModels.prepare(ROOT, work, log);
        Path samples = DemoModels.writeSamples(work.resolve("samples"), 40, log);
        LocalStack stack = LocalStack.start(new LocalStack.Settings(ROOT, work, KafkaEndpoint.bootstrapServers(), 0, 3,
                models.serviceEnv(Duration.ofSeconds(90))), log);
        return new RunningPipeline(stack, samples, work);
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
