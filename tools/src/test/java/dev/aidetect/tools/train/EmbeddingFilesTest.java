package dev.aidetect.tools.train;

import static dev.aidetect.tools.train.Embeddings.fake;
import static dev.aidetect.tools.train.Embeddings.real;
import static dev.aidetect.tools.train.Embeddings.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.schemas.ImageEmbedding;

/** The Avro files {@code export embeddings} writes and {@code train heads --embeddings} reads. */
class EmbeddingFilesTest {
    @TempDir
    Path dir;

    @Test
    void readsBackEveryRecordItWroteInOrder() throws IOException {
        // given
        List<ImageEmbedding> written = List.of(record("a", "clip", new float[]{1, 2, 3}, real()),
                record("b", "clip", new float[]{4, 5, 6}, fake("gan")),
                record("c", "clip", new float[]{7, 8, 9}, null));
        Path file = dir.resolve("nested/folder/embeddings.avro");

        // when
        int count;
        try (EmbeddingFiles.Writer writer = EmbeddingFiles.write(file)) {
            written.forEach(writer);
            count = writer.count();
        }
        List<ImageEmbedding> read = new ArrayList<>();
        int readCount = EmbeddingFiles.read(file, read::add);

        // then
        assertThat(count).isEqualTo(3);
        assertThat(readCount).isEqualTo(3);
        assertThat(read).isEqualTo(written);
    }

    @Test
    void writingAgainReplacesTheFile() throws IOException {
        Path file = dir.resolve("embeddings.avro");
        try (EmbeddingFiles.Writer writer = EmbeddingFiles.write(file)) {
            writer.accept(record("old-1", "clip", new float[]{1}, real()));
            writer.accept(record("old-2", "clip", new float[]{1}, real()));
        }

        try (EmbeddingFiles.Writer writer = EmbeddingFiles.write(file)) {
            writer.accept(record("new", "clip", new float[]{2}, real()));
        }

        List<String> ids = new ArrayList<>();
        EmbeddingFiles.read(file, e -> ids.add(e.getImageId()));
        assertThat(ids).containsExactly("new");
    }

    @Test
    void aMissingFileSaysHowToWriteOne() {
        Path missing = dir.resolve("none.avro");

        assertThatThrownBy(() -> EmbeddingFiles.read(missing, e -> {
        })).isInstanceOf(NoSuchFileException.class).hasMessageContaining(missing.toString())
                .hasMessageContaining("aidetect export embeddings");
    }

    @Test
    void aFolderIsNotAnEmbeddingsFile() {
        assertThatThrownBy(() -> EmbeddingFiles.read(dir, e -> {
        })).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void aFileThatIsNotAvroIsRefusedNamingIt() throws IOException {
        Path csv = Files.writeString(dir.resolve("embeddings.csv"), "id,v0,v1\na,1,2\n");

        assertThatThrownBy(() -> EmbeddingFiles.read(csv, e -> {
        })).isInstanceOf(IOException.class).hasMessageContaining(csv.toString())
                .hasMessageContaining("Avro container file of ImageEmbedding records");
    }

    @Test
    void anEmptyFileIsRefusedNamingIt() throws IOException {
        Path empty = Files.createFile(dir.resolve("embeddings.avro"));

        assertThatThrownBy(() -> EmbeddingFiles.read(empty, e -> {
        })).isInstanceOf(IOException.class).hasMessageContaining(empty.toString())
                .hasMessageContaining("Avro container file of ImageEmbedding records");
    }

    @Test
    void anAvroFileOfOtherRecordsIsRefusedNamingIt() throws IOException {
        Path other = dir.resolve("verdicts.avro");
        try (var writer = new org.apache.avro.file.DataFileWriter<>(
                new org.apache.avro.specific.SpecificDatumWriter<>(dev.aidetect.schemas.Rejection.class))) {
            writer.create(dev.aidetect.schemas.Rejection.getClassSchema(), other.toFile());
            writer.append(dev.aidetect.schemas.Rejections.rejection(dev.aidetect.schemas.Stage.EMBEDDING,
                    dev.aidetect.schemas.RejectReason.CORRUPT, "x"));
        }

        assertThatThrownBy(() -> EmbeddingFiles.read(other, e -> {
        })).isInstanceOf(IOException.class).hasMessageContaining(other.toString())
                .hasMessageContaining("Avro container file of ImageEmbedding records");
    }

    @Test
    void readsTheLabelledVectorsOfAFileAndSaysHowManyWereUnlabelled() throws IOException {
        Path file = dir.resolve("embeddings.avro");
        try (EmbeddingFiles.Writer writer = EmbeddingFiles.write(file)) {
            writer.accept(record("a", "clip", new float[]{1, 2}, real()));
            writer.accept(record("b", "clip", new float[]{3, 4}, null));
            writer.accept(record("c", "clip", new float[]{5, 6}, fake("diffusion")));
        }

        LabelledEmbeddings data = EmbeddingSources.read(file);

        assertThat(data.encoderId()).isEqualTo("clip");
        assertThat(data.vectors()).containsExactly(new float[]{1, 2}, new float[]{5, 6});
        assertThat(data.labels()).containsExactly(real(), fake("diffusion"));
        assertThat(data.skipped()).containsExactly("1 records of file " + file + " without a real/fake label");
    }
}
