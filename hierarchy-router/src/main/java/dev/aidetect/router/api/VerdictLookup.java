package dev.aidetect.router.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.aidetect.router.config.RouterConfig;
import dev.aidetect.router.domain.ErrorMessage;
import dev.aidetect.router.domain.VerdictView;
import dev.aidetect.router.streams.VerdictQueries;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.RecordDecodingException;

/**
 * Answers {@code GET /verdicts/{imageId}} on whichever instance the request reaches. A final verdict is answered at
 * once from this instance's read-back copy of verdicts.final (every instance holds every final, for the topic's
 * lifetime). Anything else (an open case, a final not read back yet, an id never seen) is for the instance that owns
 * the image's partition (Kafka Streams' {@code application.server} metadata says which): this instance answers from
 * its own stores when it is that owner, else it forwards the request to the owner, then to the owner's standbys when
 * the owner does not answer. 503 names the owner when none of them could answer.
 */
@ApplicationScoped
public class VerdictLookup {
    private static final Logger LOG = Logger.getLogger(VerdictLookup.class);

    private final VerdictQueries queries;
    private final PeerClient peers;
    private final RouterConfig config;
    private final HostInfo self;

    public VerdictLookup(VerdictQueries queries, PeerClient peers, RouterConfig config,
            @ConfigProperty(name = "quarkus.kafka-streams.application-server") Optional<String> applicationServer) {
        this.queries = queries;
        this.peers = peers;
        this.config = config;
        this.self = applicationServer.map(HostInfo::buildFromEndpoint).orElse(null);
    }

    /**
     * The verdict of {@code imageId}: 200 (final or PENDING), 404 (no such case), or 503 (not answerable now).
     *
     * @param forwardedBy the instance that forwarded this request, or {@code null} when a client sent it
     */
    public Response verdict(String imageId, String forwardedBy) {
        try {
            Optional<VerdictView> published = queries.published(imageId);
            if (published.isPresent()) {
                return served(Response.ok(published.get())).build();
            }
            KeyQueryMetadata owner = self == null ? null : queries.owner(imageId);
            if (self == null || self.equals(owner.activeHost())) {
                return local(imageId, false);
            }
            if (owner == KeyQueryMetadata.NOT_AVAILABLE) {
                return unavailable(imageId, "the router instances are rebalancing; retry in a few seconds");
            }
            if (forwardedBy != null) {
                // Never forward twice: the instances disagree on the owner only while partitions move.
                return owner.standbyHosts().contains(self)
                        ? local(imageId, true)
                        : unavailable(imageId, "forwarded here by " + forwardedBy + " but partition "
                                + owner.partition() + " is now on " + address(owner.activeHost())
                                + " (partitions are moving); retry in a few seconds");
            }
            return forward(imageId, owner);
        } catch (InvalidStateStoreException e) {
            return unavailable(imageId, "verdict stores are not queryable yet (" + e.getMessage()
                    + "); retry in a few seconds");
        } catch (RecordDecodingException e) {
            LOG.errorf("Cannot decode the final verdict of image %s: %s", imageId, e.getMessage());
            return served(error(Status.INTERNAL_SERVER_ERROR, imageId,
                    "verdicts.final holds a final verdict for image '"
                            + imageId + "' that this router cannot read (" + e.getMessage()
                            + "); a newer version wrote it?"
                            + " Upgrade every router instance (readers before writers, see schemas/README.md)"))
                    .build();
        }
    }

    private Response forward(String imageId, KeyQueryMetadata owner) {
        List<HostInfo> candidates = new ArrayList<>(List.of(owner.activeHost()));
        candidates.addAll(owner.standbyHosts());
        List<String> failures = new ArrayList<>();
        for (HostInfo host : candidates) {
            if (host.equals(self)) {
                return local(imageId, true);
            }
            try {
                return peers.verdict(host, imageId, self);
            } catch (IOException e) {
                LOG.warnf("Router instance %s did not answer for image %s: %s", address(host), imageId, e);
                failures.add(address(host) + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(address(host) + ": interrupted");
                break;
            }
        }
        return unavailable(imageId, "image '" + imageId + "' belongs to partition " + owner.partition()
                + " on router instance " + address(owner.activeHost()) + ", which did not answer within "
                + config.forwardTimeout() + " (aidetect.router.forward-timeout), nor did a standby " + failures
                + "; retry, or check that instance");
    }

    private Response local(String imageId, boolean standby) {
        Response.ResponseBuilder answer = queries.find(imageId, standby)
                .map(Response::ok)
                .orElseGet(() -> error(Status.NOT_FOUND, imageId, "no case for image '" + imageId
                        + "': no final verdict on " + Topics.FINAL.name() + " and no open case; it was never"
                        + " submitted, or its records have not reached the router yet"));
        return served(answer).build();
    }

    private Response unavailable(String imageId, String message) {
        return served(error(Status.SERVICE_UNAVAILABLE, imageId, message)).build();
    }

    private Response.ResponseBuilder served(Response.ResponseBuilder answer) {
        return self == null ? answer : answer.header(PeerClient.SERVED_BY, address(self));
    }

    private static Response.ResponseBuilder error(Status status, String imageId, String message) {
        return Response.status(status).entity(new ErrorMessage(imageId, message)).type(MediaType.APPLICATION_JSON);
    }

    /** {@code host:port}, as {@code application.server} is written. */
    static String address(HostInfo host) {
        return host.host() + ":" + host.port();
    }
}
