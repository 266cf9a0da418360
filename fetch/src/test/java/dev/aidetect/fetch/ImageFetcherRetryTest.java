package dev.aidetect.fetch;

import static dev.aidetect.fetch.ImageFetcherTest.IMAGE;
import static dev.aidetect.fetch.ImageFetcherTest.address;
import static dev.aidetect.fetch.ImageFetcherTest.respond;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.sun.net.httpserver.HttpServer;

import dev.aidetect.common.RetryPolicy;
import dev.aidetect.imaging.decode.ImageRejectedException;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Rejections;

/**
 * Transient failures are tried again, in place, with bounded backoff, and become a retryable UNAVAILABLE rejection
 * only when they last through every attempt; lasting failures and policy refusals are refused at once. A local HTTP
 * server on loopback scripts the failures.
 */
class ImageFetcherRetryTest {

    private static final InetAddress LOOPBACK = address(127, 0, 0, 1);
    /** Four attempts, pauses of 25-50 ms doubling to at most 100 ms: a test's retries take well under a second. */
    private static final RetryPolicy FOUR_ATTEMPTS = new RetryPolicy(4, Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofSeconds(10));

    private HttpServer server;
    private String base;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        server.createContext("/twice-503", exchange -> {
            boolean failing = requests.incrementAndGet() <= 2;
            respond(exchange, failing ? 503 : 200, failing ? new byte[0] : IMAGE);
        });
        server.createContext("/always-503", exchange -> {
            requests.incrementAndGet();
            respond(exchange, 503, new byte[0]);
        });
        server.createContext("/always-404", exchange -> {
            requests.incrementAndGet();
            respond(exchange, 404, new byte[0]);
        });
        server.createContext("/503-then-404", exchange -> {
            respond(exchange, requests.incrementAndGet() == 1 ? 503 : 404, new byte[0]);
        });
        server.createContext("/slow-once", exchange -> {
            if (requests.incrementAndGet() == 1) {
                try {
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            respond(exchange, 200, IMAGE);
        });
        for (int status : new int[]{408, 429, 500, 502, 504}) {
            server.createContext("/once-" + status, exchange -> {
                boolean first = requests.incrementAndGet() == 1;
                respond(exchange, first ? status : 200, first ? new byte[0] : IMAGE);
            });
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void fetchesTheImageWhenTheStoreFailsTwiceWith503ThenAnswers() throws Exception {
        byte[] image = fetcher(FOUR_ATTEMPTS, Duration.ofSeconds(5)).fetch(base + "/twice-503");

        assertThat(image).isEqualTo(IMAGE);
        assertThat(requests).hasValue(3);
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 502, 504})
    void retriesEveryStatusThatMeansNotNow(int status) throws Exception {
        assertThat(fetcher(FOUR_ATTEMPTS, Duration.ofSeconds(5)).fetch(base + "/once-" + status)).isEqualTo(IMAGE);
        assertThat(requests).hasValue(2);
    }

    @Test
    void refusesA404AtOnceAsFetchFailedAndNotRetryable() {
        ImageRejectedException refusal = refusal(fetcher(FOUR_ATTEMPTS, Duration.ofSeconds(5)), base + "/always-404");

        assertThat(refusal.reason()).isEqualTo(RejectReason.FETCH_FAILED);
        assertThat(Rejections.retryable(refusal.reason())).isFalse();
        assertThat(refusal).hasMessageContaining("HTTP 404");
        assertThat(requests).as("a 404 is not tried again").hasValue(1);
    }

    @Test
    void rejectsAStoreThatAnswers503OnEveryAttemptAsRetryableSayingHowOftenAndHowLong() {
        long start = System.nanoTime();

        ImageRejectedException refusal = refusal(fetcher(FOUR_ATTEMPTS, Duration.ofSeconds(5)), base + "/always-503");

        assertThat(refusal.reason()).isEqualTo(RejectReason.UNAVAILABLE);
        assertThat(Rejections.retryable(refusal.reason())).isTrue();
        assertThat(requests).as("every attempt the policy allows, and no more").hasValue(4);
        assertThat(refusal).hasMessageContaining("still failed after 4 attempts over ")
                .hasMessageContaining("HTTP 503").hasMessageContaining("aidetect.embedder.fetch.retry.attempts=4")
                .hasMessageContaining("aidetect.embedder.fetch.retry.max-total").hasMessageContaining("again later");
        // three pauses of 25-50, 50-100 and 50-100 ms
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(125),
                Duration.ofSeconds(5));
    }

    @Test
    void startsNoAttemptAfterTheTotalTime() {
        RetryPolicy patient = new RetryPolicy(1000, Duration.ofMillis(40), Duration.ofMillis(40),
                Duration.ofMillis(300));
        long start = System.nanoTime();

        ImageRejectedException refusal = refusal(fetcher(patient, Duration.ofSeconds(5)), base + "/always-503");

        assertThat(refusal.reason()).isEqualTo(RejectReason.UNAVAILABLE);
        assertThat(requests.get()).as("pauses of 20-40 ms within 300 ms").isBetween(2, 16);
        assertThat(refusal).hasMessageContaining("still failed after " + requests.get() + " attempts");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aLastingFailureAfterATransientOneIsRefusedAtOnceAndSaysWhichAttemptMetIt() {
        ImageRejectedException refusal = refusal(fetcher(FOUR_ATTEMPTS, Duration.ofSeconds(5)), base + "/503-then-404");

        assertThat(refusal.reason()).isEqualTo(RejectReason.FETCH_FAILED);
        assertThat(refusal).hasMessageContaining("HTTP 404").hasMessageContaining("on attempt 2");
        assertThat(requests).hasValue(2);
    }

    @Test
    void triesAgainAfterATimeout() throws Exception {
        byte[] image = fetcher(FOUR_ATTEMPTS, Duration.ofMillis(400)).fetch(base + "/slow-once");

        assertThat(image).isEqualTo(IMAGE);
        assertThat(requests).hasValue(2);
    }

    @Test
    void triesAgainWhenTheConnectionIsRefusedThenRejectsAsRetryable() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            closedPort = probe.getLocalPort();
        }
        RetryPolicy threeAttempts = new RetryPolicy(3, Duration.ofMillis(20), Duration.ofMillis(40),
                Duration.ofSeconds(10));

        ImageRejectedException refusal = refusal(fetcher(threeAttempts, Duration.ofSeconds(5)),
                "http://127.0.0.1:" + closedPort + "/image.jpg");

        assertThat(refusal.reason()).isEqualTo(RejectReason.UNAVAILABLE);
        assertThat(refusal).hasMessageContaining("still failed after 3 attempts").hasMessageContaining("refused");
    }

    @Test
    void neverRetriesAnAddressPolicyRefusal() {
        // given: the allowed host resolves to loopback, which the policy refuses; every lookup is counted
        AtomicInteger lookups = new AtomicInteger();
        FetchSettings settings = new FetchSettings(List.of("images.test"), Optional.empty(), Duration.ofSeconds(5),
                false, true, 1 << 20, "aidetect.embedder", Optional.of(FOUR_ATTEMPTS));
        ImageFetcher fetcher = new ImageFetcher(settings, host -> {
            lookups.incrementAndGet();
            return new InetAddress[]{LOOPBACK};
        }, AddressPolicy::isInternal, ImageFetcherTest.defaultTls());

        // when
        ImageRejectedException refusal = refusal(fetcher,
                "http://images.test:" + server.getAddress().getPort() + "/always-503");

        // then
        assertThat(refusal.reason()).isEqualTo(RejectReason.FETCH_FAILED);
        assertThat(refusal).hasMessageContaining("internal address");
        assertThat(lookups).as("looked up and refused once").hasValue(1);
        assertThat(requests).hasValue(0);
    }

    @Test
    void neverRetriesAnUnknownHostOrOneNotOnTheAllowList() {
        AtomicInteger lookups = new AtomicInteger();
        FetchSettings settings = new FetchSettings(List.of("images.test"), Optional.empty(), Duration.ofSeconds(5),
                true, true, 1 << 20, "aidetect.embedder", Optional.of(FOUR_ATTEMPTS));
        ImageFetcher fetcher = new ImageFetcher(settings, host -> {
            lookups.incrementAndGet();
            throw new UnknownHostException(host + ": no such host");
        }, AddressPolicy::isInternal, ImageFetcherTest.defaultTls());

        assertThat(refusal(fetcher, "http://images.test/a.jpg").reason()).isEqualTo(RejectReason.FETCH_FAILED);
        assertThat(lookups).hasValue(1);
        assertThat(refusal(fetcher, "http://elsewhere.test/a.jpg")).hasMessageContaining("allowed-hosts");
        assertThat(lookups).as("a host off the allow-list is never looked up").hasValue(1);
    }

    /** Fetches from 127.0.0.1 over plain http, retrying as {@code policy} says. */
    private static ImageFetcher fetcher(RetryPolicy policy, Duration timeout) {
        return new ImageFetcher(new FetchSettings(List.of("127.0.0.1"), Optional.empty(), timeout, true, true, 1 << 20,
                "aidetect.embedder", Optional.of(policy)));
    }

    private static ImageRejectedException refusal(ImageFetcher fetcher, String uri) {
        Throwable thrown = catchThrowable(() -> fetcher.fetch(uri));
        assertThat(thrown).isInstanceOf(ImageRejectedException.class);
        return (ImageRejectedException) thrown;
    }
}
