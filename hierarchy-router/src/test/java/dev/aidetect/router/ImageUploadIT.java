package dev.aidetect.router;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import dev.aidetect.kafka.KafkaBrokerTestResource;
import dev.aidetect.router.api.ImageResource;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.Topics;

/**
 * {@code POST /images} on a real broker: each way of submitting (multipart files and a uri, a raw body, JSON and form
 * uris) puts on {@code images.ingest} the record {@code ./aidetect submit} would, with the request's run and source;
 * a request over the upload limit (256 KiB in tests) gets 413 saying the limit, and a request that names no usable
 * image gets a 4xx saying what to send.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class ImageUploadIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final String run = "upload-" + UUID.randomUUID().toString().substring(0, 8);
    private final Set<String> ids = ConcurrentHashMap.newKeySet();
    private PipelineClient ingest;

    @BeforeEach
    void readIngest() {
        ingest = new PipelineClient(bootstrapServers, List.of(Topics.INGEST), ids);
    }

    @AfterEach
    void close() {
        ingest.close();
    }

    @Test
    void multipartFilesAndAUriBecomeSubmissionsOfTheRunWithTheirBytesAndNames() {
        // given two image files and a uri
        byte[] cat = bytes(2000, 1);
        byte[] dog = bytes(3000, 2);

        // when they are posted as a form, as the verdict page does
        JsonPath answer = given().multiPart("file", "cat.jpg", cat, "image/jpeg")
                .multiPart("file", "dog.png", dog, "image/png")
                .multiPart("uri", "https://images.example.com/photos/fox.jpg").multiPart("run", run)
                .multiPart("source", "verdict-page")
                .when().post("/images").then().statusCode(202).extract().jsonPath();

        // then each is on images.ingest, built as the command line builds it, under the id the answer gave
        assertThat(answer.getString("run")).isEqualTo(run);
        assertThat(answer.getList("images.name")).containsExactly("cat.jpg", "dog.png",
                "https://images.example.com/photos/fox.jpg");
        List<String> answered = answer.getList("images.imageId");
        assertThat(answered.get(0)).matches("cat-[0-9a-f]{8}");
        assertThat(answered.get(2)).matches("fox-[0-9a-f]{8}");
        Map<String, ImageSubmitted> records = submissions(answered);
        ImageSubmitted first = records.get(answered.get(0));
        assertThat(first.getSource()).isEqualTo("verdict-page");
        assertThat(first.getAttributes()).containsExactlyInAnyOrderEntriesOf(Map.of("file", "cat.jpg", "run", run));
        assertThat(first.getImage().getContent()).isEqualTo(ByteBuffer.wrap(cat));
        assertThat(first.getLabel()).isNull();
        assertThat(records.get(answered.get(1)).getImage().getContent()).isEqualTo(ByteBuffer.wrap(dog));
        ImageSubmitted byUri = records.get(answered.get(2));
        assertThat(byUri.getImage().getUri()).isEqualTo("https://images.example.com/photos/fox.jpg");
        assertThat(byUri.getImage().getContent()).isNull();
        assertThat(byUri.getAttributes()).containsExactlyEntriesOf(Map.of("run", run));
    }

    @Test
    void aRawBodyWithAFilenameIsSubmittedInlineUnderTheDefaultSource() {
        byte[] image = bytes(5000, 3);

        String id = given().contentType("image/jpeg").body(image).queryParam("filename", "C:\\photos\\owl.jpg")
                .when().post("/images").then().statusCode(202).extract().jsonPath().getString("images[0].imageId");

        ImageSubmitted record = submissions(List.of(id)).get(id);
        assertThat(id).startsWith("owl-");
        assertThat(record.getSource()).isEqualTo(ImageResource.DEFAULT_SOURCE);
        assertThat(record.getAttributes()).containsExactlyEntriesOf(Map.of("file", "owl.jpg"));
        assertThat(record.getImage().getContent()).isEqualTo(ByteBuffer.wrap(image));
    }

    @Test
    void aUriAsJsonOrAsAFormIsSubmittedByReference() {
        String json = given().contentType(ContentType.JSON)
                .body(Map.of("uri", "file:///data/images/heron.jpg", "run", run)).when().post("/images").then()
                .statusCode(202).extract().jsonPath().getString("images[0].imageId");
        String form = given().formParam("uri", "https://images.example.com/a/b/crane.webp").formParam("run", run)
                .when().post("/images").then().statusCode(202).extract().jsonPath().getString("images[0].imageId");

        Map<String, ImageSubmitted> records = submissions(List.of(json, form));
        assertThat(records.get(json).getImage().getUri()).isEqualTo("file:///data/images/heron.jpg");
        assertThat(records.get(form).getImage().getUri()).isEqualTo("https://images.example.com/a/b/crane.webp");
        assertThat(records.get(form).getAttributes()).containsEntry("run", run);
    }

    @Test
    void anUploadOverTheLimitGets413SayingTheLimitAndNothingIsSubmitted() {
        byte[] tooLarge = bytes(300 << 10, 4);

        given().contentType("image/jpeg").body(tooLarge).queryParam("filename", "big.jpg").when().post("/images")
                .then().statusCode(413).contentType(ContentType.JSON)
                .body("message", containsString("more than the 0.3 MiB the router takes in one request"))
                .body("message", containsString("aidetect.router.upload-limit"));
        given().multiPart("file", "big.jpg", tooLarge, "image/jpeg").when().post("/images").then().statusCode(413)
                .body("message", containsString("upload-limit"));
    }

    @Test
    void aRequestWithoutAUsableImageGetsA4xxSayingWhatToSend() {
        given().multiPart("run", run).when().post("/images").then().statusCode(400)
                .body("message", containsString("no image: send one or more 'file' parts, or a 'uri' field"));
        given().contentType("image/png").body(bytes(10, 5)).when().post("/images").then().statusCode(400)
                .body("message", containsString("needs ?filename="));
        given().contentType(ContentType.JSON).body(Map.of("uri", "images/relative.jpg")).when().post("/images")
                .then().statusCode(400).body("message", containsString("is not an absolute URI of an image"));
        given().contentType(ContentType.JSON).body(Map.of("uri", "https://x.example/a.jpg", "run", "a run!"))
                .when().post("/images").then().statusCode(400)
                .body("message", containsString("may hold only letters, digits"));
        given().contentType(ContentType.TEXT).body("hello").when().post("/images").then().statusCode(415)
                .body("message", containsString("POST /images takes multipart/form-data"));
    }

    /** The records of {@code wanted} on images.ingest, waiting until every one has arrived. */
    private Map<String, ImageSubmitted> submissions(List<String> wanted) {
        ids.addAll(wanted);
        Map<String, ImageSubmitted> found = new HashMap<>();
        await().atMost(DEADLINE).until(() -> {
            ingest.poll().forEach(r -> found.put(r.imageId(), (ImageSubmitted) r.value()));
            return found.keySet().containsAll(wanted);
        });
        assertThat(new ArrayList<>(found.keySet())).containsExactlyInAnyOrderElementsOf(wanted);
        return found;
    }

    private static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
