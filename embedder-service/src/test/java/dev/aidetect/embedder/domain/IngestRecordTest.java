package dev.aidetect.embedder.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IngestRecordTest {
    @Test
    void namesAnUnkeyedRecordByItsPosition() {
        assertThat(new IngestRecord(null, "images.ingest", 2, 17, new byte[0]).fallbackId())
                .isEqualTo("unkeyed:images.ingest-2@17");
        assertThat(new IngestRecord(" ", "images.ingest", 0, 3, new byte[0]).fallbackId())
                .isEqualTo("unkeyed:images.ingest-0@3");
        assertThat(new IngestRecord("key-1", "images.ingest", 0, 3, new byte[0]).fallbackId()).isEqualTo("key-1");
    }
}
