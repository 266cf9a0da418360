package dev.aidetect.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** The report's charts: well-formed SVG with a title, labelled axes, points where the data puts them. */
class SvgTest {

    @Test
    void ticksAreRoundStepsCoveringTheRange() {
        assertThat(Svg.ticks(0, 1, 5)).containsExactly(0, 0.2, 0.4, 0.6000000000000001, 0.8, 1);
        assertThat(Svg.ticks(0, 1068, 5)).containsExactly(0, 200, 400, 600, 800, 1000, 1200);
        assertThat(Svg.ticks(30, 100, 5)).startsWith(30).endsWith(100);
        assertThat(Svg.ticks(3, 3, 5)).containsExactly(3);
    }

    @Test
    void lineChartIsWellFormedWithTitleAxesAndPointsWhereTheDataPutsThem() throws Exception {
        String svg = Svg.lines("ROC <all>", "false positive rate", "true positive rate", Svg.Range.UNIT,
                Svg.Range.UNIT, List.of(new Svg.Series("a & b", new double[]{0, 0.5, 1}, new double[]{0, 1, 1},
                        "#123456")),
                true, false);

        Document doc = parse(svg);
        Element root = doc.getDocumentElement();
        assertThat(root.getAttribute("class")).isEqualTo("plot");
        assertThat(root.getElementsByTagName("title").item(0).getTextContent()).isEqualTo("ROC <all>");
        assertThat(texts(doc)).contains("false positive rate", "true positive rate", "0", "0.2", "1");
        String path = ((Element) doc.getElementsByTagName("path").item(0)).getAttribute("d");
        // (0,0) is the plot's bottom left, (1,1) its top right: 58..424 across, 270..40 down
        assertThat(path).isEqualTo("M58.0,270.0 L241.0,40.0 L424.0,40.0");
        assertThat(doc.getElementsByTagName("line").getLength()).as("grid lines and the diagonal").isGreaterThan(1);
    }

    @Test
    void aValueThatIsNotANumberBreaksTheLine() throws Exception {
        String svg = Svg.lines("t", "x", "y", Svg.Range.UNIT, Svg.Range.UNIT, List.of(new Svg.Series("s",
                new double[]{0, 0.5, 0.6, 1}, new double[]{0, Double.NaN, 0.5, 1}, "#000")), false, true);

        String path = ((Element) parse(svg).getElementsByTagName("path").item(0)).getAttribute("d");
        assertThat(path.chars().filter(c -> c == 'M').count()).isEqualTo(2);
        assertThat(parse(svg).getElementsByTagName("circle").getLength()).isEqualTo(3);
    }

    @Test
    void barsDrawOneRectPerFiniteValueWithALegendForSeveralSeries() throws Exception {
        String svg = Svg.bars("Accuracy", "score", List.of("all", "sd-1.4"), List.of(
                new Svg.Series("accuracy", null, new double[]{0.5, 0.25}, "#111"),
                new Svg.Series("AP", null, new double[]{0.75, Double.NaN}, "#222")), Svg.Range.UNIT);

        Document doc = parse(svg);
        NodeList rects = doc.getElementsByTagName("rect");
        long bars = java.util.stream.IntStream.range(0, rects.getLength())
                .filter(i -> ((Element) rects.item(i)).getAttribute("class").equals("bar")).count();
        assertThat(bars).isEqualTo(3);
        assertThat(texts(doc)).contains("all", "sd-1.4", "accuracy", "AP", "0.5", "0.25", "0.75");
        // a bar of 0.5 on [0, 1] is half the plot's 230 px high
        Element first = (Element) doc.getElementsByTagName("rect").item(1);
        assertThat(svg).contains("height=\"115.0\"");
        assertThat(first).isNotNull();
    }

    @Test
    void heatmapShowsEveryCountShadedByItsRowShare() throws Exception {
        String svg = Svg.heatmap("Family confusion", "truth", "said", List.of("real", "diffusion"),
                List.of("real", "diffusion", "uncertain"), new int[][]{{77, 18, 5}, {80, 13, 7}});

        Document doc = parse(svg);
        assertThat(texts(doc)).contains("77", "18", "5", "80", "13", "7", "truth", "said", "uncertain");
        assertThat(svg).contains("<title>real as real: 77 (77% of the row)</title>");
        assertThat(doc.getElementsByTagName("rect").getLength()).isEqualTo(6);
    }

    @Test
    void scatterDrawsEachGroupInItsColourWithALegend() throws Exception {
        String svg = Svg.scatter("Embeddings", "t-SNE 1", "t-SNE 2", List.of(new Svg.Point(0, 0, "real"),
                new Svg.Point(1, 2, "sd"), new Svg.Point(-1, 3, "sd")), Map.of("real", "#777", "sd", "#f00"));

        Document doc = parse(svg);
        assertThat(doc.getElementsByTagName("circle").getLength()).isEqualTo(3);
        assertThat(svg.split("<circle[^>]*fill=\"#f00\"", -1)).as("two points of sd").hasSize(3);
        assertThat(texts(doc)).contains("real", "sd", "t-SNE 1");
    }

    @Test
    void escapesMarkupInNames() {
        assertThat(Svg.escape("<a href=\"x\">&'")).isEqualTo("&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
        assertThat(Svg.shortNumber(0.75)).isEqualTo("0.75");
        assertThat(Svg.shortNumber(100)).isEqualTo("100");
        assertThat(Svg.shortNumber(0.5000001)).isEqualTo("0.5");
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
    }

    private static List<String> texts(Document doc) {
        NodeList nodes = doc.getElementsByTagName("text");
        return java.util.stream.IntStream.range(0, nodes.getLength()).mapToObj(i -> nodes.item(i).getTextContent())
                .toList();
    }
}
