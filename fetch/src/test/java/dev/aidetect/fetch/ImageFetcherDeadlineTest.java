package dev.aidetect.fetch;

import static dev.aidetect.fetch.ImageFetcherTest.address;
import static dev.aidetect.fetch.ImageFetcherTest.assertFetchFails;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One deadline bounds the whole fetch, whatever phase a server stalls in: real sockets on loopback, with servers that
 * never answer or that send a byte every 100 ms (which a per-read socket timeout alone would wait for forever).
 */
class ImageFetcherDeadlineTest {

    private static final InetAddress LOOPBACK = address(127, 0, 0, 1);
    private static final Duration TIMEOUT = Duration.ofMillis(600);
    /** Generous: the assertion is that a fetch ends near its deadline, not after many per-read timeouts. */
    private static final Duration MARGIN = Duration.ofMillis(2500);
    /** A TLS record header (handshake, TLS 1.2, 16 KiB): the client then waits for the 16 KiB the header promises. */
    private static final byte[] TLS_RECORD_HEADER = {0x16, 0x03, 0x03, 0x40, 0x00};

    /** Answers every connection as a test says, on a thread of its own. */
    @FunctionalInterface
    interface Behaviour {
        void serve(Socket client) throws IOException, InterruptedException;
    }

    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private ServerSocket server;

    @AfterEach
    void stopServer() throws IOException {
        server.close();
        for (Socket client : clients) {
            client.close();
        }
    }

    @Test
    void givesUpOnTlsServerThatNeverAnswersTheClientHelloAtTheDeadline() throws IOException {
        serve(client -> Thread.sleep(Duration.ofSeconds(30)));

        assertEndsAtTheDeadline("https", lookUp(), "timed out in the TLS handshake");
    }

    @Test
    void givesUpOnTlsServerThatTricklesItsHandshakeAtTheDeadline() throws IOException {
        serve(client -> trickle(client, TLS_RECORD_HEADER));

        assertEndsAtTheDeadline("https", lookUp(), "timed out in the TLS handshake");
    }

    @Test
    void stopsReadingATrickledBodyAtTheOverallDeadline() throws IOException {
        byte[] headers = "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        serve(client -> trickle(client, headers));

        assertEndsAtTheDeadline("http", lookUp(), "timed out in the response body");
    }

    @Test
    void givesUpOnDnsLookupThatHangsAtTheDeadline() throws IOException {
        serve(client -> {
        });
        HostLookup.HostResolver hanging = host -> {
            try {
                Thread.sleep(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new UnknownHostException(host + ": the test resolver was interrupted");
        };

        assertEndsAtTheDeadline("https", hanging, "timed out in the DNS lookup");
        assertThat(clients).isEmpty();
    }

    /** Fetches from the test server; it must fail in about the timeout, naming the phase and the setting. */
    private void assertEndsAtTheDeadline(String scheme, HostLookup.HostResolver dns, String expected) {
        ImageFetcher fetcher = new ImageFetcher(ImageFetcherTest.namedSettings(true, TIMEOUT).withMaxBytes(1 << 20),
                dns, AddressPolicy::isInternal, ImageFetcherTest.defaultTls());
        long start = System.nanoTime();

        assertFetchFails(fetcher, scheme + "://images.test:" + server.getLocalPort() + "/image.jpg")
                .hasMessageContaining(expected).hasMessageContaining("aidetect.embedder.fetch.timeout (600 ms)");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(TIMEOUT.minusMillis(100))
                .isLessThan(TIMEOUT.plus(MARGIN));
    }

    private static HostLookup.HostResolver lookUp() {
        return host -> new InetAddress[]{LOOPBACK};
    }

    private void serve(Behaviour behaviour) throws IOException {
        server = new ServerSocket(0, 50, LOOPBACK);
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    clients.add(client);
                    Thread.ofVirtual().start(() -> run(behaviour, client));
                } catch (IOException e) {
                    return; // closed at the end of the test
                }
            }
        });
    }

    private static void run(Behaviour behaviour, Socket client) {
        try (client) {
            behaviour.serve(client);
        } catch (IOException e) {
            // the fetcher hung up, as it should at its deadline
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends {@code start}, then one byte every 100 ms for up to 30 s, or until the client hangs up. */
    private static void trickle(Socket client, byte[] start) throws IOException, InterruptedException {
        OutputStream out = client.getOutputStream();
        out.write(start);
        out.flush();
        for (int i = 0; i < 300; i++) {
            Thread.sleep(100);
            out.write(0);
            out.flush();
        }
    }
}
