package dev.aidetect.router.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.smallrye.mutiny.Multi;

import dev.aidetect.router.config.RouterConfig;
import dev.aidetect.router.domain.ErrorMessage;
import dev.aidetect.router.domain.VerdictView;
import dev.aidetect.router.messaging.CommittedFinals;
import dev.aidetect.router.streams.VerdictQueries;

/**
 * {@code GET /verdicts/{imageId}}: 200 with the final verdict or the open case's progress, 404 for an image this
 * instance has no case for, 503 while the stores are not queryable yet. {@code GET /verdicts/stream}: server-sent
 * events, one JSON final verdict per event as each is committed to {@code verdicts.final} (every image, not only
 * this instance's).
 */
@Path("/verdicts")
@Produces(MediaType.APPLICATION_JSON)
public class VerdictResource {
    private final VerdictQueries queries;
    private final RouterConfig config;
    private final CommittedFinals finals;

    public VerdictResource(VerdictQueries queries, RouterConfig config, CommittedFinals finals) {
        this.queries = queries;
        this.config = config;
        this.finals = finals;
    }

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<VerdictView> stream() {
        return finals.stream();
    }

    @GET
    @Path("/{imageId}")
    public Response verdict(@PathParam("imageId") String imageId) {
        try {
            return queries.find(imageId)
                    .map(view -> Response.ok(view).build())
                    .orElseGet(() -> error(Status.NOT_FOUND, imageId, "no case for image '" + imageId
                            + "': it was never seen, or it finished more than " + config.closedRetention()
                            + " ago (aidetect.router.closed-retention)"));
        } catch (InvalidStateStoreException e) {
            return error(Status.SERVICE_UNAVAILABLE, imageId,
                    "verdict stores are not queryable yet (" + e.getMessage() + "); retry in a few seconds");
        }
    }

    private static Response error(Status status, String imageId, String message) {
        return Response.status(status).entity(new ErrorMessage(imageId, message)).type(MediaType.APPLICATION_JSON)
                .build();
    }
}
