package dev.aidetect.embedder.domain;

/** One raw record of {@code images.ingest}: where it came from and its undecoded value. */
public record IngestRecord(String key, String topic, int partition, long offset, byte[] value) {

    /** The id a refusal of this record is keyed by when its value yields none: its Kafka key, else its position. */
    public String fallbackId() {
        return key != null && !key.isBlank() ? key : "unkeyed:" + topic + "-" + partition + "@" + offset;
    }
}
