package dev.aidetect.tools.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.aidetect.heads.UfdProbe;

/**
 * The README's UniversalFakeDetect recipe exports CLIP ViT-L/14 with {@code deploy/models/export_clip.py} and serves the
 * probe from {@code train ufd-probe}: the export's manifest id must be the one the probe head is trained against, or
 * every vector is refused as ENCODER_MISMATCH (as it was, with {@code clip-vit-l-14} against
 * {@code openai-clip-vit-l-14}).
 */
class ExportIdsTest {
    private static final Path EXPORT = Path.of(System.getProperty("aidetect.project.root", ".."))
            .resolve("deploy/models/export_clip.py");

    @Test
    void theViTL14ExportCarriesTheIdTheUfdProbeExpects() throws Exception {
        String script = Files.readString(EXPORT);
        int ids = script.indexOf("MODEL_IDS = {");
        assertThat(ids).as("MODEL_IDS in %s", EXPORT).isNotNegative();

        Matcher vitL14 = Pattern.compile("\"ViT-L/14\":\\s*\"([^\"]+)\"").matcher(script.substring(ids));

        assertThat(vitL14.find()).isTrue();
        assertThat(vitL14.group(1)).isEqualTo(UfdProbe.ENCODER_ID);
    }
}
