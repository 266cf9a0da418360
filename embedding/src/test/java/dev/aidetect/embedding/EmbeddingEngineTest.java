package dev.aidetect.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Stage;

/** The engine on the committed tiny encoder, as the service and the benchmark run it, without either. */
class EmbeddingEngineTest {
    /** Long enough that images of one call always share a pass, however loaded the machine. */
    private static final Duration MAX_WAIT = Duration.ofSeconds(2);
    private static final byte[] PHOTO = TestSubmissions.jpeg(320, 240);

    private static final List<String> fetched = new CopyOnWriteArrayList<>();
    private static final List<Integer> passes = new CopyOnWriteArrayList<>();
    private static EmbeddingEngine engine;

    @BeforeAll
    static void load() throws Exception {
        UriFetcher fetcher = uri -> {
            fetched.add(uri);
            return PHOTO;
        };
        EmbeddingListener listener = new EmbeddingListener() {
            @Override
            public void recordBatch(int images, long inferenceMicros) {
                passes.add(images);
            }
        };
        engine = new EmbeddingEngine(TestEngineSettings.tiny(MAX_WAIT), fetcher, listener);
        engine.load();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void embedsEveryImageOfACallInOnePassAndRejectsWhatIsNoImage() {
        // given three photos, one of them by uri, and an HTML page
        ImageSubmitted byUri = TestSubmissions.submission("uri-1",
                ImageContent.newBuilder().setUri("https://images.example/1.jpg").build());
        List<Submission> submissions = List.of(submission(TestSubmissions.inline("photo-1", PHOTO)),
                submission(TestSubmissions.inline("photo-2", TestSubmissions.jpeg(64, 48))), submission(byUri),
                submission(TestSubmissions.inline("page-1", TestSubmissions.html())));
        Collected sink = new Collected();

        // when
        EmbeddingResults results = engine.embed(submissions, sink);

        // then
        assertThat(sink.embeddings).extracting(ImageEmbedding::getImageId)
                .containsExactlyInAnyOrder("photo-1", "photo-2", "uri-1");
        assertThat(sink.embeddings).allSatisfy(embedding -> {
            assertThat(embedding.getVector()).hasSize(64);
            assertThat(embedding.getEncodedBy().getId()).isEqualTo("tiny-clip-vit");
            assertThat(embedding.getTimings().getBatchSize()).isEqualTo(3);
        });
        assertThat(fetched).containsExactly("https://images.example/1.jpg");
        assertThat(passes).contains(3);
        assertThat(sink.rejections).singleElement().satisfies(rejection -> {
            assertThat(rejection.getImageId()).isEqualTo("page-1");
            assertThat(rejection.getReason()).isEqualTo(RejectReason.NOT_AN_IMAGE);
            assertThat(rejection.getStage()).isEqualTo(Stage.EMBEDDING);
        });
        assertThat(results.embeddings()).hasSize(3);
        assertThat(results.rejections()).hasSize(1);
    }

    @Test
    void refusesToEmbedBeforeItHasLoadedAndLoadsOnce() {
        try (EmbeddingEngine unloaded = new EmbeddingEngine(TestEngineSettings.tiny(MAX_WAIT), UriFetcher.NONE,
                EmbeddingListener.NONE)) {
            assertThatThrownBy(() -> unloaded.embed(List.of(), new Collected())).hasMessageContaining("load()");
        }
        assertThatThrownBy(engine::load).hasMessageContaining("loads once");
    }

    private static Submission submission(ImageSubmitted record) {
        return new Submission(record, TestSubmissions.encode(record));
    }

    /** Takes everything at once, as a broker that acknowledges at once. */
    private static final class Collected implements ResultSink {
        final List<ImageEmbedding> embeddings = new CopyOnWriteArrayList<>();
        final List<ImageRejected> rejections = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<Void> embedded(ImageEmbedding embedding) {
            embeddings.add(embedding);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> rejected(ImageRejected rejection) {
            rejections.add(rejection);
            return CompletableFuture.completedFuture(null);
        }
    }
}
