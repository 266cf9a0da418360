package dev.aidetect.router.api;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.apache.kafka.streams.state.HostInfo;

import dev.aidetect.router.config.RouterConfig;

/**
 * Asks another router instance for a verdict ({@code GET /verdicts/{imageId}} on its {@code application.server}
 * address) and relays its answer as it is: status, JSON body and the instance that served it. The request is marked
 * forwarded, so the other instance answers from its own stores and never forwards it on.
 */
@ApplicationScoped
public class PeerClient {
    /** Request header naming the instance that forwarded the request; a forwarded request is never forwarded again. */
    public static final String FORWARDED_BY = "X-Aidetect-Forwarded-By";
    /** Response header naming the instance ({@code host:port}) whose stores answered. */
    public static final String SERVED_BY = "X-Aidetect-Served-By";

    private final HttpClient http;
    private final Duration timeout;

    public PeerClient(RouterConfig config) {
        this.timeout = config.forwardTimeout();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /**
     * The answer of {@code peer} for {@code imageId}.
     *
     * @throws IOException when the peer cannot be reached or does not answer within the forward timeout
     */
    Response verdict(HostInfo peer, String imageId, HostInfo self) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(peer, imageId))
                .timeout(timeout)
                .header(FORWARDED_BY, VerdictLookup.address(self))
                .header("Accept", MediaType.APPLICATION_JSON)
                .build();
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        return Response.status(answer.statusCode())
                .entity(answer.body())
                .type(answer.headers().firstValue("Content-Type").orElse(MediaType.APPLICATION_JSON))
                .header(SERVED_BY, answer.headers().firstValue(SERVED_BY).orElse(VerdictLookup.address(peer)))
                .build();
    }

    private static URI uri(HostInfo peer, String imageId) throws IOException {
        try {
            return new URI("http", null, peer.host(), peer.port(), "/verdicts/" + imageId, null, null);
        } catch (URISyntaxException e) {
            throw new IOException("cannot address image '" + imageId + "' on " + VerdictLookup.address(peer), e);
        }
    }
}
