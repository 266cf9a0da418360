package dev.aidetect.fetch;

import static dev.aidetect.fetch.ImageFetcherTest.address;
import static dev.aidetect.fetch.ImageFetcherTest.assertFetchFails;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

/**
 * Connecting to the checked address rather than to the host name must not weaken TLS: the server still learns the
 * host name (SNI) and its certificate must name that host. The server's certificate names images.test only.
 */
class ImageFetcherTlsTest {

    private static final byte[] IMAGE = ImageFetcherTest.IMAGE;
    private static final InetAddress LOOPBACK = address(127, 0, 0, 1);
    private static final String PASSWORD = "test-only";

    @TempDir
    static Path dir;
    private static SSLContext serverTls;
    private static SSLContext clientTls;

    private final List<String> serverNames = new CopyOnWriteArrayList<>();
    private HttpsServer server;

    @BeforeAll
    static void issueCertificateForImagesTest() throws Exception {
        Path store = dir.resolve("images.test.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "images", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=images.test", "-ext", "SAN=dns:images.test", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as("keytool: " + output).isZero();
        KeyStore keys = KeyStore.getInstance(store.toFile(), PASSWORD.toCharArray());
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD.toCharArray());
        serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keys);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trust.getTrustManagers(), null);
    }

    @BeforeEach
    void startServer() throws Exception {
        server = HttpsServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
                parameters.setSNIMatchers(List.of(new RecordingMatcher()));
                params.setSSLParameters(parameters);
            }
        });
        server.createContext("/image.jpg", exchange -> ImageFetcherTest.respond(exchange, 200, IMAGE));
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void fetchesOverTlsFromTheCheckedAddressSendingTheHostNameAsSni() throws Exception {
        byte[] image = fetcher().fetch("https://images.test:" + server.getAddress().getPort() + "/image.jpg");

        assertThat(image).isEqualTo(IMAGE);
        assertThat(serverNames).containsExactly("images.test");
    }

    @Test
    void refusesCertificateThatDoesNotNameTheHost() {
        assertFetchFails(fetcher(), "https://other.test:" + server.getAddress().getPort() + "/image.jpg")
                .hasMessageContaining("No subject alternative DNS name matching other.test");
    }

    /** Both names allowed and resolving to the test server, so only TLS can tell them apart. */
    private static ImageFetcher fetcher() {
        var settings = new ImageFetcherTest.Settings(Optional.of(List.of("images.test", "other.test")),
                Optional.empty(), Duration.ofSeconds(5), true, false);
        return new ImageFetcher(settings.withMaxBytes(1 << 20), host -> new InetAddress[]{LOOPBACK},
                AddressPolicy::isInternal, clientTls);
    }

    /** Accepts any host name, noting which the client asked for. */
    private final class RecordingMatcher extends SNIMatcher {
        RecordingMatcher() {
            super(StandardConstants.SNI_HOST_NAME);
        }

        @Override
        public boolean matches(SNIServerName name) {
            serverNames.add(new SNIHostName(name.getEncoded()).getAsciiName());
            return true;
        }
    }
}
