package dev.aidetect.tools.train;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

import dev.aidetect.schemas.ImageEmbedding;

/**
 * Avro object container files of {@code ImageEmbedding} records (the schema is in the file, so any Avro reader opens
 * them): what {@code aidetect export embeddings} writes and {@code train heads --embeddings} reads.
 */
public final class EmbeddingFiles {
    private EmbeddingFiles() {
    }

    /** Hands every record of {@code file} to {@code sink}; returns how many there were. */
    public static int read(Path file, Consumer<ImageEmbedding> sink) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    "no embeddings file there; write one with aidetect export embeddings");
        }
        DataFileReader<ImageEmbedding> opened;
        try {
            opened = new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(ImageEmbedding.class));
        } catch (IOException e) {
            // Another format or an empty file fails here, on the magic bytes, with a message that names no file.
            throw new IOException(file + " cannot be opened as an Avro container file of ImageEmbedding records: "
                    + e.getMessage(), e);
        }
        int count = 0;
        try (DataFileReader<ImageEmbedding> reader = opened) {
            for (ImageEmbedding embedding : reader) {
                sink.accept(embedding);
                count++;
            }
        } catch (AvroRuntimeException e) {
            throw new IOException(file + " is not an Avro container file of ImageEmbedding records: "
                    + e.getMessage(), e);
        }
        return count;
    }

    /** Opens {@code file} for writing (replacing it), deflate-compressed. */
    public static Writer write(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        DataFileWriter<ImageEmbedding> writer = new DataFileWriter<>(new SpecificDatumWriter<>(ImageEmbedding.class));
        writer.setCodec(CodecFactory.deflateCodec(6));
        writer.create(ImageEmbedding.getClassSchema(), absolute.toFile());
        return new Writer(writer);
    }

    /** Appends records to an open container file. */
    public static final class Writer implements Consumer<ImageEmbedding>, Closeable {
        private final DataFileWriter<ImageEmbedding> writer;
        private int count;

        private Writer(DataFileWriter<ImageEmbedding> writer) {
            this.writer = writer;
        }

        @Override
        public void accept(ImageEmbedding embedding) {
            try {
                writer.append(embedding);
                count++;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append image " + embedding.getImageId() + ": "
                        + e.getMessage(), e);
            }
        }

        /** Records written so far. */
        public int count() {
            return count;
        }

        @Override
        public void close() throws IOException {
            writer.close();
        }
    }
}
