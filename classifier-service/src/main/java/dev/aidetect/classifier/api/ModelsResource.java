package dev.aidetect.classifier.api;

import java.nio.file.Path;
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

import dev.aidetect.classifier.domain.ModelInfo;
import dev.aidetect.classifier.domain.ModelSlot;
import dev.aidetect.classifier.domain.ReloadResult;
import dev.aidetect.classifier.inference.ModelRegistry;
import dev.aidetect.classifier.inference.ModelReloader;

/**
 * The models this instance serves: {@code GET /models} lists each slot's model id, version, checksum, location and
 * load time; {@code POST /models/{slot}/reload[?path=ARTIFACT]} re-reads any slot's model (a head's file or a
 * network's directory; from a new location when given) and swaps it in if it passes its checks
 * ({@link ModelReloader}): 200 when swapped or unchanged, 409 when refused, 422 when unreadable.
 */
@jakarta.ws.rs.Path("/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {
    private final ModelRegistry models;
    private final ModelReloader reloader;

    public ModelsResource(ModelRegistry models, ModelReloader reloader) {
        this.models = models;
        this.reloader = reloader;
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
        ReloadResult result = reloader.reload(known.get(),
                Optional.ofNullable(path).filter(p -> !p.isBlank()).map(Path::of));
        int status = switch (result.outcome()) {
            case SWAPPED, UNCHANGED -> 200;
            case REFUSED -> 409;
            case FAILED -> 422;
        };
        return Response.status(status).entity(result).build();
    }
}
