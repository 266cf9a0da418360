package dev.aidetect.router.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import dev.aidetect.router.domain.ErrorMessage;
import dev.aidetect.router.domain.SubmittedImages;
import dev.aidetect.schemas.ImageSubmissions;
import dev.aidetect.schemas.ImageSubmitted;

/**
 * {@code POST /images}: submits images to {@code images.ingest}, built as {@code ./aidetect submit} builds them
 * ({@link ImageSubmissions}), and answers 202 with their image ids once the broker has taken them. Their verdicts
 * follow on {@code GET /verdicts/stream?run=} (when a {@code run} was given) and {@code GET /verdicts/{imageId}}.
 * <ul>
 * <li>{@code multipart/form-data}: one or more {@code file} parts sent inline, and/or a {@code uri} field, with
 * optional {@code run} and {@code source} fields (what the verdict page sends);
 * <li>a raw body ({@code image/*} or {@code application/octet-stream}) with {@code ?filename=} (and optional
 * {@code run}, {@code source});
 * <li>{@code application/json} ({@code {"uri": ..., "run": ..., "source": ...}}) or a urlencoded form with the same
 * fields: an image by URI, which the pipeline fetches (the embedder's fetch settings decide which it may).
 * </ul>
 * A request larger than {@code aidetect.router.upload-limit} gets 413 ({@link UploadLimitFilter} refuses it by its
 * {@code Content-Length} before reading it); a request that names no image, a bad URI or run id gets 400; 503 when the
 * broker does not take the records.
 */
@Path("/images")
@Produces(MediaType.APPLICATION_JSON)
public class ImageResource {
    /** The source of submissions that name none. */
    public static final String DEFAULT_SOURCE = "router-upload";
    private static final int MAX_SOURCE_LENGTH = 100;

    private final ImageUploads uploads;

    public ImageResource(ImageUploads uploads) {
        this.uploads = uploads;
    }

    /** A URI submission as JSON. */
    public record UriSubmission(String uri, String run, String source) {
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response multipart(@RestForm("file") List<FileUpload> files, @RestForm("uri") String uri,
            @RestForm("run") String run, @RestForm("source") String source) {
        Attributes given = Attributes.of(run, source);
        List<ImageSubmitted> records = new ArrayList<>();
        long total = 0;
        for (FileUpload file : files == null ? List.<FileUpload>of() : files) {
            total += file.size();
            if (total > uploads.limit()) {
                throw tooLarge(total);
            }
            if (file.fileName() == null || file.fileName().isBlank()) {
                throw refused(Status.BAD_REQUEST, "a 'file' part has no filename; send each image as a file part "
                        + "(Content-Disposition: form-data; name=\"file\"; filename=\"a.jpg\")");
            }
            try {
                records.add(given.inline(baseName(file.fileName()), Files.readAllBytes(file.uploadedFile())));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the uploaded file " + file.fileName() + " back: " + e, e);
            }
        }
        if (uri != null && !uri.isBlank()) {
            records.add(given.byUri(uri));
        }
        if (records.isEmpty()) {
            throw refused(Status.BAD_REQUEST, "no image: send one or more 'file' parts, or a 'uri' field");
        }
        return submitted(given, records);
    }

    @POST
    @Consumes({"image/*", MediaType.APPLICATION_OCTET_STREAM})
    public Response raw(InputStream body, @QueryParam("filename") String filename, @QueryParam("run") String run,
            @QueryParam("source") String source) throws IOException {
        if (filename == null || filename.isBlank()) {
            throw refused(Status.BAD_REQUEST, "a raw image body needs ?filename= (its name starts the image id), "
                    + "for example POST /images?filename=cat.jpg");
        }
        Attributes given = Attributes.of(run, source);
        byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, uploads.limit() + 1));
        if (bytes.length > uploads.limit()) {
            throw tooLarge(bytes.length);
        }
        if (bytes.length == 0) {
            throw refused(Status.BAD_REQUEST, "the body is empty: send the image's bytes");
        }
        return submitted(given, List.of(given.inline(baseName(filename), bytes)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response json(UriSubmission submission) {
        if (submission == null || submission.uri() == null || submission.uri().isBlank()) {
            throw refused(Status.BAD_REQUEST, "no image: send {\"uri\": \"https://...\"} (with optional \"run\" "
                    + "and \"source\"), or upload the file as multipart/form-data");
        }
        Attributes given = Attributes.of(submission.run(), submission.source());
        return submitted(given, List.of(given.byUri(submission.uri())));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response form(@RestForm("uri") String uri, @RestForm("run") String run,
            @RestForm("source") String source) {
        return json(new UriSubmission(uri, run, source));
    }

    /** Anything else: say what is taken, rather than a bare 415. */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Response other() {
        throw refused(Status.UNSUPPORTED_MEDIA_TYPE, "POST /images takes multipart/form-data ('file' parts, a "
                + "'uri' field), a raw image/* or application/octet-stream body with ?filename=, or JSON "
                + "{\"uri\": ...}");
    }

    private Response submitted(Attributes given, List<ImageSubmitted> records) {
        try {
            uploads.send(records);
        } catch (IllegalStateException e) {
            throw refused(Status.SERVICE_UNAVAILABLE, e.getMessage());
        }
        return Response.accepted(new SubmittedImages(given.run(), given.source(), records.stream()
                .map(r -> new SubmittedImages.Image(r.getImageId(), r.getImage().getUri() != null
                        ? r.getImage().getUri()
                        : r.getAttributes().get(ImageSubmissions.FILE)))
                .toList())).build();
    }

    private WebApplicationException tooLarge(long bytes) {
        return tooLarge(bytes, uploads.limit());
    }

    /** The 413 of an upload of {@code bytes} over {@code limit}. */
    static WebApplicationException tooLarge(long bytes, long limit) {
        return refused(Status.REQUEST_ENTITY_TOO_LARGE, String.format("the upload is %.1f MiB, more than the %.1f MiB "
                + "the router takes in one request (aidetect.router.upload-limit); send one image per request, a "
                + "smaller image, or the image by uri", bytes / 1048576.0, limit / 1048576.0));
    }

    static WebApplicationException refused(Status status, String message) {
        return new WebApplicationException(Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ErrorMessage(null, message)).build());
    }

    /** A browser may send a path as the filename: the image id and attribute {@code file} take its last part. */
    private static String baseName(String filename) {
        String name = filename.substring(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
        return name.isBlank() ? "upload" : name;
    }

    /** The run and source a request gives its submissions, checked. */
    private record Attributes(String run, String source) {
        static Attributes of(String run, String source) {
            String r = run == null || run.isBlank() ? null : run.strip();
            if (r != null && !ImageSubmissions.RUN_ID.matcher(r).matches()) {
                throw refused(Status.BAD_REQUEST, "run '" + run + "' may hold only letters, digits, '.', '_' and "
                        + "'-' (at most 64)");
            }
            String s = source == null || source.isBlank() ? DEFAULT_SOURCE : source.strip();
            if (s.length() > MAX_SOURCE_LENGTH) {
                throw refused(Status.BAD_REQUEST, "source is " + s.length() + " characters long; at most "
                        + MAX_SOURCE_LENGTH);
            }
            return new Attributes(r, s);
        }

        Map<String, String> attributes() {
            return run == null ? Map.of() : Map.of(ImageSubmissions.RUN, run);
        }

        ImageSubmitted inline(String name, byte[] bytes) {
            return ImageSubmissions.inline(name, bytes, source, null, attributes(), Instant.now());
        }

        ImageSubmitted byUri(String uri) {
            String checked;
            try {
                checked = ImageSubmissions.checkedUri(uri);
            } catch (IllegalArgumentException e) {
                throw refused(Status.BAD_REQUEST, e.getMessage());
            }
            return ImageSubmissions.byUri(checked, source, attributes(), Instant.now());
        }
    }
}
