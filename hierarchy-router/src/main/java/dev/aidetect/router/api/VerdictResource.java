package dev.aidetect.router.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestStreamElementType;

import io.smallrye.mutiny.Multi;

import dev.aidetect.router.domain.VerdictView;
import dev.aidetect.router.messaging.CommittedFinals;

/**
 * {@code GET /verdicts/{imageId}}: 200 with the final verdict or the open case's progress, 404 for an image no
 * instance has a case for, 503 while the stores are not queryable or the owning instance does not answer; any
 * instance answers, forwarding to the one that owns the case ({@link VerdictLookup}). {@code GET /verdicts/stream}: server-sent
 * events, one JSON final verdict per event as each is committed to {@code verdicts.final} (every image, not only
 * this instance's).
 */
@Path("/verdicts")
@Produces(MediaType.APPLICATION_JSON)
public class VerdictResource {
    private final VerdictLookup lookup;
    private final CommittedFinals finals;

    public VerdictResource(VerdictLookup lookup, CommittedFinals finals) {
        this.lookup = lookup;
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
    public Response verdict(@PathParam("imageId") String imageId,
            @HeaderParam(PeerClient.FORWARDED_BY) String forwardedBy) {
        return lookup.verdict(imageId, forwardedBy);
    }
}
