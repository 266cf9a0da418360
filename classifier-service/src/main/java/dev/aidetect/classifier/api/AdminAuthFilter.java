package dev.aidetect.classifier.api;

import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.quarkus.runtime.Startup;

import dev.aidetect.classifier.config.AdminConfig;
import dev.aidetect.common.AccessToken;

/**
 * Every request that may change the service (any method but GET, HEAD and OPTIONS: today {@code POST
 * /models/{slot}/reload}) is an admin request and needs {@code Authorization: Bearer <admin token>}
 * ({@link AdminConfig}, {@link AccessToken#checkRequest}): 401 without it or with a wrong one, 403 when no token is set
 * (admin endpoints disabled); each refusal is logged (path, never the header). Created at start-up,
 * so a token file that cannot be read, or a token too short, stops the service before it is ready.
 */
@Startup
public class AdminAuthFilter {
    private static final Logger LOG = Logger.getLogger(AdminAuthFilter.class);

    private final AccessToken token;

    public AdminAuthFilter(AdminConfig config) {
        this.token = AccessToken.configure("admin endpoints", AccessToken.WhenUnset.REFUSE, config.tokenFile(),
                config.token(), AdminConfig.FILE_SETTING, AdminConfig.VALUE_SETTING);
        LOG.infof("The classifier's %s", token.describe());
    }

    /** The 401 or 403 answer, or {@code null} to go on. */
    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION)
    public Response authorize(ContainerRequestContext request) {
        Optional<AccessToken.Refusal> refusal = token.checkRequest(request.getMethod(),
                request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (refusal.isEmpty()) {
            return null;
        }
        LOG.warnf("Refused %s %s: %s", request.getMethod(), request.getUriInfo().getPath(), refusal.get().message());
        return Response.status(refusal.get().status()).type(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"aidetect-admin\"")
                .entity(Map.of("message", refusal.get().message())).build();
    }
}
