package dev.aidetect.router.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a {@code POST /images} whose {@code Content-Length} is over {@code aidetect.router.upload-limit} with 413 and
 * a message saying the limit, before its body is read (so a large upload costs neither memory nor disk). A request
 * without a length is checked as it is read ({@link ImageResource}), and Quarkus' {@code max-body-size} bounds all.
 */
public class UploadLimitFilter {
    private final ImageUploads uploads;

    public UploadLimitFilter(ImageUploads uploads) {
        this.uploads = uploads;
    }

    /** The 413 answer, or {@code null} to go on. */
    @ServerRequestFilter(preMatching = true)
    public Response refuseTooLarge(ContainerRequestContext request) {
        if (!"POST".equals(request.getMethod()) || !request.getUriInfo().getPath().startsWith("/images")) {
            return null;
        }
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        long bytes;
        try {
            bytes = length == null ? -1 : Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            bytes = -1;
        }
        return bytes > uploads.limit() ? ImageResource.tooLarge(bytes, uploads.limit()).getResponse() : null;
    }
}
