package dev.aidetect.fetch;

import static dev.aidetect.fetch.ImageFetcherTest.address;
import static dev.aidetect.fetch.ImageFetcherTest.assertFetchFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.aidetect.imaging.decode.ImageRejectedException;
import dev.aidetect.schemas.RejectReason;

/**
 * What the fetcher does with hostile or broken responses, on raw sockets so a server can say exactly what it likes: the
 * byte cap holds however the body is framed (and the fetcher stops reading just past it instead of waiting for the
 * deadline), a short body is a failure rather than a truncated image, and response headers are bounded too.
 */
class ImageFetcherResponseTest {

    private static final InetAddress LOOPBACK = address(127, 0, 0, 1);
    private static final int MAX_BYTES = 1000;
    /** Long, so that a fetch ending well within it ended for its own reason, not at the deadline. */
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    /** What the test server does with each connection. */
    @FunctionalInterface
    interface Behaviour {
        void serve(OutputStream out) throws IOException, InterruptedException;
    }

    private ServerSocket server;
    /** The last request's head, as the server read it. */
    private volatile String request = "";

    @AfterEach
    void stopServer() throws IOException {
        server.close();
    }

    @Test
    void refusesADeclaredLengthOverTheCapBeforeAnyBodyArrives() throws IOException {
        serve(out -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\n"));
            out.flush();
            Thread.sleep(TIMEOUT.multipliedBy(2)); // not a byte of the body: only the header can have refused it
        });

        assertPromptlyTooLarge();
    }

    @Test
    void stopsReadingAnEndlessBodyWithoutLengthJustPastTheCap() throws IOException {
        serve(out -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"));
            endless(out, bytes -> out.write(bytes));
        });

        assertPromptlyTooLarge();
    }

    @Test
    void stopsReadingAnEndlessChunkedBodyJustPastTheCap() throws IOException {
        serve(out -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
            endless(out, bytes -> {
                out.write(ascii(Integer.toHexString(bytes.length) + "\r\n"));
                out.write(bytes);
                out.write(ascii("\r\n"));
            });
        });

        assertPromptlyTooLarge();
    }

    @Test
    void acceptsABodyOfExactlyTheCap() throws Exception {
        byte[] body = new byte[MAX_BYTES];
        Arrays.fill(body, (byte) 7);
        serve(out -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: " + MAX_BYTES + "\r\n\r\n"));
            out.write(body);
        });

        assertThat(fetcher().fetch(uri())).isEqualTo(body);
    }

    @Test
    void failsABodyShorterThanItsDeclaredLength() throws IOException {
        serve(out -> out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this")));

        assertFetchFails(fetcher(), uri()).hasMessageContaining("could not be fetched");
    }

    @Test
    void readsTheResponseAfterInterimOnes() throws Exception {
        serve(out -> out.write(ascii("HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nimage")));

        assertThat(fetcher().fetch(uri())).isEqualTo(ascii("image"));
    }

    @Test
    void asksForTheBytesAsStored() throws Exception {
        serve(out -> out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nimage")));

        fetcher().fetch(uri());

        assertThat(request).startsWith("GET /image.jpg HTTP/1.1\r\n")
                .containsIgnoringCase("Accept-Encoding: identity\r\n");
    }

    @Test
    void refusesAnEndlessHeaderLinePromptly() throws IOException {
        serve(out -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nX-Padding: "));
            endless(out, bytes -> out.write(ascii("a".repeat(bytes.length))));
        });
        long start = System.nanoTime();

        assertFetchFails(fetcher(), uri()).hasMessageContaining("could not be fetched");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
    }

    @Test
    void refusesEndlessHeadersPromptly() throws IOException {
        serve(out -> {
            out.write(ascii("HTTP/1.1 200 OK\r\n"));
            for (int i = 0; i < 100_000; i++) {
                out.write(ascii("X-Header-" + i + ": x\r\n"));
            }
        });
        long start = System.nanoTime();

        assertFetchFails(fetcher(), uri()).hasMessageContaining("could not be fetched");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
    }

    /** TOO_LARGE well before the deadline, the server having sent far less than it was willing to. */
    private void assertPromptlyTooLarge() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> fetcher().fetch(uri())).isInstanceOf(ImageRejectedException.class)
                .extracting(e -> ((ImageRejectedException) e).reason()).isEqualTo(RejectReason.TOO_LARGE);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
    }

    private ImageFetcher fetcher() {
        FetchSettings settings = ImageFetcherTest.namedSettings(true, TIMEOUT).withMaxBytes(MAX_BYTES);
        return new ImageFetcher(settings, host -> new InetAddress[]{LOOPBACK}, AddressPolicy::isInternal,
                ImageFetcherTest.defaultTls());
    }

    private String uri() {
        return "http://images.test:" + server.getLocalPort() + "/image.jpg";
    }

    private void serve(Behaviour behaviour) throws IOException {
        server = new ServerSocket(0, 50, LOOPBACK);
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket client = server.accept(); OutputStream out = client.getOutputStream()) {
                    byte[] head = new byte[8192];
                    int length = client.getInputStream().read(head); // a GET's head fits in one read on loopback
                    request = new String(head, 0, Math.max(length, 0), StandardCharsets.ISO_8859_1);
                    behaviour.serve(out);
                } catch (IOException e) {
                    // the fetcher hung up, as it should past the cap; or the server was closed at the end
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** What writes one piece of an endless body. */
    @FunctionalInterface
    private interface Piece {
        void write(byte[] bytes) throws IOException;
    }

    /** 1 KiB pieces for up to a GiB, or until the fetcher hangs up. */
    private static void endless(OutputStream out, Piece piece) throws IOException {
        byte[] bytes = new byte[1024];
        for (int i = 0; i < 1 << 20; i++) {
            piece.write(bytes);
            out.flush();
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
