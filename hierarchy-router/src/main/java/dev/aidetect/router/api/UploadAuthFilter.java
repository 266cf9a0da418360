package dev.aidetect.router.api;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.quarkus.runtime.Startup;

import dev.aidetect.common.AccessToken;
import dev.aidetect.router.config.RouterConfig;

/**
 * Uploads ({@code POST /images}, and any request but GET, HEAD and OPTIONS: the router has no other) take
 * {@code Authorization: Bearer <upload token>} when {@code aidetect.router.upload-token-file} or
 * {@code AIDETECT_ROUTER_UPLOAD_TOKEN} sets one (401 without it or with a wrong one); with neither, they are open, as
 * in the local run. Runs before {@link UploadLimitFilter}, so a caller without the token learns nothing else. Created at
 * start-up, so an unreadable token file or a token too short stops the router before it is ready.
 */
@Startup
public class UploadAuthFilter {
    private static final Logger LOG = Logger.getLogger(UploadAuthFilter.class);

    private final AccessToken token;

    public UploadAuthFilter(RouterConfig config) {
        this.token = AccessToken.configure("uploads (POST /images)", AccessToken.WhenUnset.OPEN,
                config.uploadTokenFile(), config.uploadToken(),
                "aidetect.router.upload-token-file (env AIDETECT_ROUTER_UPLOAD_TOKEN_FILE)",
                "env AIDETECT_ROUTER_UPLOAD_TOKEN");
        LOG.infof("The router's %s", token.describe());
    }

    /** The 401 answer, or {@code null} to go on. */
    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION)
    public Response authorize(ContainerRequestContext request) {
        // Not logged: a flood of refused uploads must not become a flood of log lines.
        return token.checkRequest(request.getMethod(), request.getHeaderString(HttpHeaders.AUTHORIZATION))
                .map(refusal -> withChallenge(ImageResource.refused(Status.fromStatusCode(refusal.status()),
                        refusal.message()).getResponse()))
                .orElse(null);
    }

    private static Response withChallenge(Response response) {
        response.getHeaders().add(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"aidetect-upload\"");
        return response;
    }
}
