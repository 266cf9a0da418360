package dev.aidetect.router.api;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import io.smallrye.mutiny.Multi;

import dev.aidetect.router.domain.ErrorMessage;
import dev.aidetect.router.domain.VerdictFilter;
import dev.aidetect.router.messaging.CommittedFinals;
import dev.aidetect.router.messaging.VerdictFeed;

/**
 * {@code GET /verdicts/{imageId}}: 200 with the final verdict or the open case's progress, 404 for an image no
 * instance has a case or a final for, 503 while the stores are not queryable or the owning instance does not answer;
 * any instance answers, forwarding to the one that owns the case when needed ({@link VerdictLookup}).
 * {@code GET /verdicts/stream}: server-sent events, one JSON final verdict per event as each is committed to
 * {@code verdicts.final} (every image, not only this instance's), optionally filtered by {@code source}, {@code run},
 * {@code authenticity} and {@code generator}; each event's id is a position to resume from with
 * {@code Last-Event-ID} ({@link VerdictFeed}).
 */
@Path("/verdicts")
@Produces(MediaType.APPLICATION_JSON)
public class VerdictResource {
    /** The header an SSE client sends on reconnecting: the id of the last event it received. */
    public static final String LAST_EVENT_ID = "Last-Event-ID";

    private final VerdictLookup lookup;
    private final CommittedFinals finals;

    public VerdictResource(VerdictLookup lookup, CommittedFinals finals) {
        this.lookup = lookup;
        this.finals = finals;
    }

    /**
     * @param lastEventId the id of the last event received ({@code Last-Event-ID}, as EventSource sends it on
     *            reconnecting); the query parameter {@code lastEventId} stands in for clients that cannot set headers
     */
    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(@HeaderParam(LAST_EVENT_ID) String lastEventId,
            @QueryParam("lastEventId") String lastEventIdParameter, @QueryParam("source") List<String> sources,
            @QueryParam("run") List<String> runs, @QueryParam("authenticity") List<String> authenticities,
            @QueryParam("generator") List<String> generators, @Context Sse sse) {
        Multi<VerdictFeed.Event> events;
        try {
            events = finals.stream(lastEventId != null ? lastEventId : lastEventIdParameter,
                    VerdictFilter.of(sources, runs, authenticities, generators));
        } catch (IllegalArgumentException e) {
            throw refused(Status.BAD_REQUEST, e.getMessage());
        } catch (IllegalStateException e) {
            throw refused(Status.SERVICE_UNAVAILABLE, e.getMessage());
        }
        return events.map(event -> sse.newEventBuilder()
                .id(event.id())
                .name(event.name())
                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(event.data().getClass(), event.data())
                .build());
    }

    @GET
    @Path("/{imageId}")
    public Response verdict(@PathParam("imageId") String imageId,
            @HeaderParam(PeerClient.FORWARDED_BY) String forwardedBy) {
        return lookup.verdict(imageId, forwardedBy);
    }

    private static WebApplicationException refused(Status status, String message) {
        return new WebApplicationException(Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ErrorMessage(null, message)).build());
    }
}
