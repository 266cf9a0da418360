package dev.aidetect.router.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class IngestRetentionCheckTest {
    private static final Duration LONGEST_CASE = Duration.ofMinutes(5);

    @Test
    void acceptsARetentionLongerThanTheLongestCaseOrUnlimited() {
        assertThat(IngestRetentionCheck.judge("images.ingest", 604_800_000L, LONGEST_CASE).ok()).isTrue();
        assertThat(IngestRetentionCheck.judge("images.ingest", -1, LONGEST_CASE).ok()).isTrue();
    }

    @Test
    void warnsAboutARetentionNoLongerThanTheLongestCaseNamingThePropertyToRaise() {
        IngestRetentionCheck.Finding finding = IngestRetentionCheck.judge("images.ingest",
                LONGEST_CASE.toMillis(), LONGEST_CASE);

        assertThat(finding.ok()).isFalse();
        assertThat(finding.message()).contains("images.ingest keeps records for only 300000 ms (retention.ms)",
                "PT5M", "aidetect.router.stage-timeout", "--entity-name images.ingest --add-config retention.ms=");
    }
}
