package dev.aidetect.classifier.api;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import dev.aidetect.classifier.domain.ModelInfo;
import dev.aidetect.classifier.domain.ModelSlot;
import dev.aidetect.classifier.domain.ReloadResult;
import dev.aidetect.classifier.inference.ModelDirectory;
import dev.aidetect.classifier.inference.ModelDirectory.OutsideModelDirectoryException;
import dev.aidetect.classifier.inference.ModelRegistry;
import dev.aidetect.classifier.inference.ModelReloader;

/**
 * The models this instance serves: {@code GET /models} lists each slot's model id, version, checksum, location and
 * load time; {@code POST /models/{slot}/reload[?path=ARTIFACT]} re-reads any slot's model (a head's file or a
 * network's directory; from a new location when given) and swaps it in if it passes its checks
 * ({@link ModelReloader}): 200 when swapped or unchanged, 409 when refused, 422 when unreadable, 400 when the path is
 * outside the model directory ({@link ModelDirectory}). A reload is an admin request ({@link AdminAuthFilter}).
 */
@jakarta.ws.rs.Path("/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {
    private static final Logger LOG = Logger.getLogger(ModelsResource.class);

    private final ModelRegistry models;
    private final ModelReloader reloader;
    private final ModelDirectory directory;

    public ModelsResource(ModelRegistry models, ModelReloader reloader, ModelDirectory directory) {
        this.models = models;
        this.reloader = reloader;
        this.directory = directory;
    }

    @GET
    public List<ModelInfo> list() {
        return models.infos();
    }

    @POST
    @jakarta.ws.rs.Path("/{slot}/reload")
    public Response reload(@PathParam("slot") String slot, @QueryParam("path") String path) {
        Optional<ModelSlot> known = ModelSlot.ofApiName(slot);
        if (known.isEmpty()) {
            return Response.status(Response.Status.NOT_FOUND).entity(Map.of("message", "no model slot '" + slot
                    + "'; slots are " + Arrays.stream(ModelSlot.values()).map(ModelSlot::apiName).toList())).build();
        }
        ReloadResult result;
        try {
            result = reloader.reload(known.get(), Optional.ofNullable(path).filter(p -> !p.isBlank())
                    .map(p -> directory.confine(known.get(), p)));
        } catch (OutsideModelDirectoryException e) {
            LOG.warnf("Refused a reload of the %s: %s", known.get().description(), e.getMessage());
            return Response.status(Response.Status.BAD_REQUEST).entity(Map.of("message", e.getMessage())).build();
        }
        int status = switch (result.outcome()) {
            case SWAPPED, UNCHANGED -> 200;
            case REFUSED -> 409;
            case FAILED -> 422;
        };
        return Response.status(status).entity(result).build();
    }
}
