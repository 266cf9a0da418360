package dev.aidetect.tools.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * {@code deploy/runtime.env} is the one source of the libtorch version and the JVM flags; the files that cannot read it
 * (the pom, the Dockerfiles' defaults, Quarkus' test launcher) must say the same, and this test says where one does
 * not. The compose file reads it (env_file; DeployComposeTest checks).
 */
class RuntimeEnvConsistencyTest {
    private static final Path ROOT = Path.of(System.getProperty("aidetect.project.root", "..")).toAbsolutePath()
            .normalize();
    private static final RuntimeEnv RUNTIME = RuntimeEnv.bundled();
    /** Every image the project builds: each starts java with $AIDETECT_JVM_FLAGS and carries them as its default. */
    private static final String[] DOCKERFILES = {"embedder-service/src/main/docker/Dockerfile.jvm",
            "classifier-service/src/main/docker/Dockerfile.jvm", "hierarchy-router/src/main/docker/Dockerfile.jvm",
            "tools/src/main/docker/Dockerfile.jvm"};

    @Test
    void theJarCarriesTheCurrentRuntimeEnv() throws IOException {
        assertThat(RuntimeEnv.parse(Files.readString(ROOT.resolve("deploy/runtime.env")))).isEqualTo(RUNTIME);
    }

    @Test
    void thePomBundlesTheLibtorchTheRuntimeEnvNames() throws IOException {
        Matcher version = Pattern.compile("<pytorch.version>([^<]+)</pytorch.version>")
                .matcher(Files.readString(ROOT.resolve("pom.xml")));

        assertThat(version.find()).isTrue();
        assertThat(version.group(1)).as("pom.xml pytorch.version vs deploy/runtime.env PYTORCH_VERSION")
                .isEqualTo(RUNTIME.pytorchVersion());
    }

    @Test
    void everyFileThatSetsPytorchVersionSetsTheSameOne() throws IOException {
        Pattern setting = Pattern.compile("PYTORCH_VERSION\\s*[=:]\\s*\"?([0-9][^\\s\"\\\\]*)");
        List<String> checked = new ArrayList<>();
        for (Path file : launchers()) {
            Matcher matcher = setting.matcher(Files.readString(file));
            while (matcher.find()) {
                checked.add(ROOT.relativize(file).toString());
                assertThat(matcher.group(1)).as(ROOT.relativize(file) + " sets PYTORCH_VERSION")
                        .isEqualTo(RUNTIME.pytorchVersion());
            }
        }
        assertThat(checked).contains(DOCKERFILES);
    }

    @Test
    void everyLauncherThatPassesJvmFlagsPassesAllOfThem() throws IOException {
        List<String> checked = new ArrayList<>();
        for (Path file : launchers()) {
            String text = Files.readString(file);
            if (text.contains("--enable-native-access")) {
                checked.add(ROOT.relativize(file).toString());
                assertThat(text).as(ROOT.relativize(file) + " passes the JVM flags of deploy/runtime.env")
                        .contains(RUNTIME.jvmFlags());
            }
        }
        assertThat(checked).contains("pom.xml").contains(DOCKERFILES);
    }

    private static List<Path> launchers() throws IOException {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("pom.xml"), ROOT.resolve("docker-compose.yml")));
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path module : modules.filter(Files::isDirectory).toList()) {
                for (String candidate : List.of("src/main/docker/Dockerfile.jvm",
                        "src/main/resources/application.properties")) {
                    if (Files.exists(module.resolve(candidate))) {
                        files.add(module.resolve(candidate));
                    }
                }
            }
        }
        try (Stream<Path> deploy = Files.walk(ROOT.resolve("deploy"))) {
            deploy.filter(file -> file.getFileName().toString().endsWith(".yml")).forEach(files::add);
        }
        return files;
    }
}
