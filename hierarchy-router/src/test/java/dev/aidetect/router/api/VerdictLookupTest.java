package dev.aidetect.router.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.ws.rs.core.Response;

import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.runtime.configuration.MemorySize;

import dev.aidetect.router.config.RouterConfig;
import dev.aidetect.router.domain.ErrorMessage;
import dev.aidetect.router.domain.VerdictView;
import dev.aidetect.router.streams.VerdictQueries;
import dev.aidetect.schemas.Stage;

/**
 * Which instance answers {@code GET /verdicts/{id}}: this one from its read-back copy of verdicts.final when the image
 * has a final there; else this one from its stores when it owns the case (or holds its standby while the owner is
 * down), else the owner, asked over HTTP; 503 naming the owner when nobody can answer.
 */
class VerdictLookupTest {
    private static final HostInfo SELF = new HostInfo("localhost", 18083);
    private static final VerdictView PENDING = new VerdictView("img-1", VerdictView.PENDING, "UNKNOWN", null, null,
            null, List.of(), null, "EMBEDDING", null, null, null, "test", Map.of(), null);
    private static final VerdictView DECIDED = new VerdictView("img-2", "DECIDED", "UNCERTAIN", 0.52, null, null,
            List.of(), null, null, null, null, 12L, "test", Map.of(), "tiny-clip-vit:1");

    private final RouterConfig config = new Config();
    private final List<Boolean> localReads = new CopyOnWriteArrayList<>();
    private KeyQueryMetadata owner;
    private VerdictView published;
    private HttpServer peer;

    private final VerdictLookup lookup = new VerdictLookup(new VerdictQueries(null, config) {
        @Override
        public KeyQueryMetadata owner(String imageId) {
            return owner;
        }

        @Override
        public Optional<VerdictView> published(String imageId) {
            return Optional.ofNullable(published);
        }

        @Override
        public Optional<VerdictView> find(String imageId, boolean standby) {
            localReads.add(standby);
            return Optional.of(PENDING);
        }
    }, new PeerClient(config), config, Optional.of("localhost:" + SELF.port()));

    @AfterEach
    void stopPeer() {
        if (peer != null) {
            peer.stop(0);
        }
    }

    @Test
    void finalReadBackHereIsAnsweredWithoutAskingTheOwner() throws IOException {
        published = DECIDED;
        owner = new KeyQueryMetadata(new HostInfo("localhost", closedPort()), Set.of(), 2);

        Response answer = lookup.verdict("img-2", null);

        assertThat(answer.getStatus()).isEqualTo(200);
        assertThat(answer.getEntity()).isEqualTo(DECIDED);
        assertThat(answer.getHeaderString(PeerClient.SERVED_BY)).isEqualTo("localhost:18083");
        assertThat(localReads).isEmpty();
    }

    @Test
    void ownerAnswersFromItsOwnActiveStores() {
        owner = new KeyQueryMetadata(SELF, Set.of(), 1);

        Response answer = lookup.verdict("img-1", null);

        assertThat(answer.getStatus()).isEqualTo(200);
        assertThat(answer.getEntity()).isEqualTo(PENDING);
        assertThat(answer.getHeaderString(PeerClient.SERVED_BY)).isEqualTo("localhost:18083");
        assertThat(localReads).containsExactly(false);
    }

    @Test
    void requestForACaseOwnedElsewhereIsForwardedMarkedAndTheOwnersAnswerRelayed() throws IOException {
        List<String> forwardedBy = new CopyOnWriteArrayList<>();
        HostInfo other = startPeer(forwardedBy);
        owner = new KeyQueryMetadata(other, Set.of(), 2);

        Response answer = lookup.verdict("img-1", null);

        assertThat(answer.getStatus()).isEqualTo(200);
        assertThat(answer.getEntity()).isEqualTo("{\"imageId\":\"img-1\",\"status\":\"DECIDED\"}");
        assertThat(answer.getHeaderString(PeerClient.SERVED_BY)).isEqualTo("peer:" + other.port());
        assertThat(forwardedBy).containsExactly("localhost:18083");
        assertThat(localReads).isEmpty();
    }

    @Test
    void ownerThatDoesNotAnswerGives503NamingItAndItsPartition() throws IOException {
        HostInfo down = new HostInfo("localhost", closedPort());
        HostInfo standbyDown = new HostInfo("localhost", closedPort());
        owner = new KeyQueryMetadata(down, Set.of(standbyDown), 2);

        Response answer = lookup.verdict("img-1", null);

        assertThat(answer.getStatus()).isEqualTo(503);
        assertThat(((ErrorMessage) answer.getEntity()).message())
                .contains("partition 2", "localhost:" + down.port(), "localhost:" + standbyDown.port(),
                        "aidetect.router.forward-timeout");
    }

    @Test
    void standbyCopyHereAnswersWhenTheOwnerDoesNot() throws IOException {
        owner = new KeyQueryMetadata(new HostInfo("localhost", closedPort()), Set.of(SELF), 0);

        Response answer = lookup.verdict("img-1", null);

        assertThat(answer.getStatus()).isEqualTo(200);
        assertThat(localReads).containsExactly(true);
    }

    @Test
    void forwardedRequestIsNeverForwardedAgainWhenTheOwnerMovedMeanwhile() {
        owner = new KeyQueryMetadata(new HostInfo("localhost", 1), Set.of(), 1);

        Response answer = lookup.verdict("img-1", "localhost:18084");

        assertThat(answer.getStatus()).isEqualTo(503);
        assertThat(((ErrorMessage) answer.getEntity()).message()).contains("forwarded here by localhost:18084",
                "partition 1 is now on localhost:1");
        assertThat(localReads).isEmpty();
    }

    @Test
    void rebalancingGroupGives503() {
        owner = KeyQueryMetadata.NOT_AVAILABLE;

        assertThat(lookup.verdict("img-1", null).getStatus()).isEqualTo(503);
    }

    /** A router instance that answers every verdict request DECIDED and records who forwarded it. */
    private HostInfo startPeer(List<String> forwardedBy) throws IOException {
        peer = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        int port = peer.getAddress().getPort();
        peer.createContext("/verdicts/", exchange -> {
            forwardedBy.add(exchange.getRequestHeaders().getFirst(PeerClient.FORWARDED_BY));
            byte[] body = "{\"imageId\":\"img-1\",\"status\":\"DECIDED\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add(PeerClient.SERVED_BY, "peer:" + port);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        peer.start();
        return new HostInfo("localhost", port);
    }

    /** A local port nothing listens on: connections to it are refused at once. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static final class Config implements RouterConfig {
        @Override
        public List<Stage> stages() {
            return List.of(Stage.DETECTION, Stage.FAMILY, Stage.ATTRIBUTION);
        }

        @Override
        public Optional<String> attributionFamily() {
            return Optional.empty();
        }

        @Override
        public Duration stageTimeout() {
            return Duration.ofSeconds(60);
        }

        @Override
        public Duration punctuateInterval() {
            return Duration.ofSeconds(1);
        }

        @Override
        public Duration closedRetention() {
            return Duration.ofHours(1);
        }

        @Override
        public int streamBuffer() {
            return 10;
        }

        @Override
        public int streamReplay() {
            return 100;
        }

        @Override
        public Duration forwardTimeout() {
            return Duration.ofSeconds(2);
        }

        @Override
        public boolean familyRequestImage() {
            return false;
        }

        @Override
        public double uncertainBand() {
            return 0.05;
        }

        @Override
        public int metricsSources() {
            return 20;
        }

        @Override
        public int metricsRuns() {
            return 10;
        }

        @Override
        public MemorySize uploadLimit() {
            return new MemorySize(BigInteger.valueOf(20 << 20));
        }

        @Override
        public Optional<Path> uploadTokenFile() {
            return Optional.empty();
        }

        @Override
        public Optional<String> uploadToken() {
            return Optional.empty();
        }
    }
}
