package dev.aidetect.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.testing.Prerequisites;

/**
 * The HTML report: one page that needs no network, and that a real browser (Debian's headless chromium) renders with
 * every chart in it.
 */
class HtmlReportTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final List<String> CHARTS = List.of("Accuracy and AP by generator", "ROC curve",
            "Precision-recall curve", "Reliability diagram (ECE", "Family confusion", "Generator confusion",
            "Not decided, by reason", "Latency percentiles (offline)", "Robustness to jpeg", "Robustness to blur",
            "Embeddings by generator (t-SNE)");

    @TempDir
    Path out;

    @Test
    void isOnePageWithEveryChartAndNothingFetchedFromTheNetwork() throws Exception {
        report().write(out);

        String html = Files.readString(out.resolve(HtmlReport.FILE));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<h1>set, other</h1>", "tiny-clip-vit 1",
                "2026-12-03 00:00 UTC", "eval-1");
        for (String chart : CHARTS) {
            assertThat(html).contains("<title>" + Svg.escape(chart).split(" \\(ECE")[0]);
        }
        assertThat(html).doesNotContain("<script", "<link", "<img", "url(", "@import");
        assertThat(html.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http:", "https:");
    }

    @Test
    void drawsTheBaselinesRobustnessCurvesDashedInThisRunsPlotsWithAKeyNamingBothRuns() {
        String html = new HtmlReport(report()).html();

        String jpeg = chart(html, "Robustness to jpeg");
        assertThat(jpeg.split("<g class=\"series\">", -1)).as("accuracy, AP, AUC and the baseline's accuracy, AP")
                .hasSize(1 + 5);
        assertThat(jpeg).containsPattern("<title>accuracy</title>(<circle[^>]*>)+<path d=\"M[^\"]+\" fill=\"none\" "
                + "stroke=\"#3b6e9c\" stroke-width=\"2\"/>");
        assertThat(jpeg).containsPattern("<title>baseline accuracy</title>(<circle[^>]*>){3}<path d=\"M[^\"]+\" "
                + "fill=\"none\" stroke=\"#3b6e9c\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>");
        assertThat(jpeg).contains("<title>baseline AP</title>", "stroke-dasharray=\"4 2\"/><text x=\"462\" "
                + "y=\"102\" class=\"tick\">baseline accuracy</text>",
                "solid: this run eval-1 (head 1, tiny-clip-vit 1)",
                "dashed: baseline eval-0 (detector 0, tiny-clip-vit 1)");
        assertThat(chart(html, "Robustness to blur")).contains("<title>baseline accuracy</title>");
        assertThat(html).contains("against the baseline run <code>eval-0</code>, models: detector 0, tiny-clip-vit 1",
                "<h2>Against the baseline</h2>", "<td>jpeg=70</td><td>–</td><td>0.450</td><td>–</td>",
                "<td>stylegan</td><td>0.750</td><td>0.800</td><td class=\"down\">-0.050</td>");
    }

    /** The SVG whose title starts with {@code title}. */
    private static String chart(String html, String title) {
        int start = html.indexOf("<title>" + title);
        assertThat(start).as("the chart " + title).isNotNegative();
        return html.substring(start, html.indexOf("</svg>", start));
    }

    @Test
    void chromiumRendersEveryChartWithItsTitle() throws Exception {
        Prerequisites.require(Files.isExecutable(CHROMIUM), "Debian's chromium (/usr/bin/chromium), which renders "
                + "the report headless", "apt-get install chromium");
        report().write(out);
        Path page = out.resolve(HtmlReport.FILE);
        Path screenshot = out.resolve("report.png");

        String dom = chromium("--dump-dom", page.toUri().toString());
        chromium("--screenshot=" + screenshot, "--window-size=1280,2400", page.toUri().toString());

        Matcher titles = Pattern.compile("<svg class=\"plot\"[^>]*><title>([^<]*)</title>").matcher(dom);
        List<String> rendered = new ArrayList<>();
        while (titles.find()) {
            rendered.add(titles.group(1).replace("&amp;", "&"));
        }
        assertThat(rendered).hasSize(CHARTS.size());
        for (String chart : CHARTS) {
            assertThat(rendered).anySatisfy(title -> assertThat(title).startsWith(chart));
        }
        assertThat(dom).contains("<path d=\"M", "class=\"bar\"", "class=\"cell\"", "<circle",
                "<title>baseline accuracy</title>", "stroke-dasharray=\"6 3\"", "class=\"against\"");
        assertThat(Files.size(screenshot)).as("the screenshot chromium took").isGreaterThan(20_000);
    }

    private String chromium(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless=new", "--no-sandbox",
                "--disable-gpu", "--user-data-dir=" + out.resolve("chromium-profile")));
        command.addAll(List.of(args));
        Path log = out.resolve("chromium.log");
        Path dom = out.resolve("dom.html");
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).redirectOutput(dom.toFile())
                .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish within 120 s: " + Files.readString(log));
        }
        assertThat(process.exitValue()).as("chromium's exit; its log:%n%s", Files.readString(log)).isZero();
        return Files.readString(dom);
    }

    /**
     * A report of two data sets and three generators, with two sweeps and an embedding map, against a baseline of
     * the same images swept at jpeg=90, 70 and 50 and blur=2.
     */
    static EvalReport report() {
        ScoredImages images = new ScoredImages();
        for (int i = 0; i < 6; i++) {
            images.real("set", 0.1 + i * 0.1).fake("set", "gan", "stylegan", 0.4 + i * 0.1, "gan", "stylegan")
                    .fake("set", "diffusion", "sd-1.4", 0.3 + i * 0.1, "diffusion", "sd-1.4")
                    .real("other", 0.05 * i).fake("other", "gan", "progan", 0.9, "gan", "unknown");
        }
        images.add("set", dev.aidetect.schemas.Authenticity.REAL, null, null, ScoredImages.verdict(
                dev.aidetect.schemas.FinalStatus.REJECTED, dev.aidetect.schemas.Authenticity.UNCERTAIN, null, null),
                null);
        EvalRun run = new EvalRun("eval-1", "offline", Instant.parse("2026-12-03T00:00:00Z"), null,
                Map.of("tiny-clip-vit", "1"), List.of(new EvalRun.Input("in", "real/, fake/<family>/<generator>/",
                        List.of("set", "other"), 31, List.of("a note"))),
                List.of(), null, Map.of(), 0, 2.0);
        List<SweepResult> sweeps = new ArrayList<>();
        for (SweepPoint point : List.of(new SweepPoint("jpeg", 90), new SweepPoint("jpeg", 50),
                new SweepPoint("blur", 0), new SweepPoint("blur", 2))) {
            sweeps.add(new SweepResult(point, "eval-1-" + point.runSuffix(), EvalMetrics.groups(images.list()),
                    List.of(), null, 1.0));
        }
        List<Svg.Point> points = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            points.add(new Svg.Point(Math.cos(i), Math.sin(i), i % 3 == 0
                    ? "real"
                    : i % 3 == 1
                            ? "sd-1.4"
                            : "stylegan"));
        }
        Baseline baseline = new Baseline(Path.of("base", EvalReport.JSON), "eval-0", Map.of("tiny-clip-vit", "1",
                "detector", "0"), new Baseline.Figures(0.5, 0.6, 0.7),
                Map.of("stylegan",
                        new Baseline.Figures(0.8, 0.5, 0.6)),
                List.of(new Baseline.Point("jpeg", 90, new Baseline.Figures(0.5, 0.6, 0.7)),
                        new Baseline.Point("jpeg", 70, new Baseline.Figures(0.45, 0.55, 0.65)),
                        new Baseline.Point("jpeg", 50, new Baseline.Figures(0.4, 0.5, 0.6)),
                        new Baseline.Point("blur", 2, new Baseline.Figures(0.3, 0.4, 0.5))),
                Baseline.counts(EvalMetrics.groups(images.list())));
        return new EvalReport(run, images.list(), sweeps, new EmbeddingMap(points, points.size()), baseline);
    }
}
