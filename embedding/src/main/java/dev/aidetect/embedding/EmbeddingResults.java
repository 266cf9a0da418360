package dev.aidetect.embedding;

import java.util.List;

import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageRejected;

/** What one call's submissions produced: an embedding or a rejection for each. */
public record EmbeddingResults(List<ImageEmbedding> embeddings, List<ImageRejected> rejections) {

    public EmbeddingResults {
        embeddings = List.copyOf(embeddings);
        rejections = List.copyOf(rejections);
    }
}
