package dev.aidetect.tools.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Charts as standalone SVG text for the HTML report: line charts (ROC, PR, reliability, robustness), grouped bars,
 * heat-mapped tables (confusion matrices) and scatter maps. Every chart is an {@code <svg class="plot">} whose first
 * child is a {@code <title>} naming it, with labelled axes, and a legend when it draws more than one series. Colours
 * come from one palette ({@link #colour}), so a generator has the same colour in every chart of a report. Values that
 * are not finite are left out (a line breaks there). Pure string building: no fonts measured, no I/O.
 */
final class Svg {
    /** Tableau 10: distinct for the common kinds of colour blindness, legible on white. */
    private static final List<String> PALETTE = List.of("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
            "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac");
    static final int WIDTH = 440;
    static final int HEIGHT = 320;
    private static final int LEFT = 58;
    private static final int RIGHT = 16;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    private static final int LEGEND = 124;
    private static final int KEY_LINE = 16;

    private Svg() {
    }

    /** A closed interval of an axis. */
    record Range(double min, double max) {
        static final Range UNIT = new Range(0, 1);

        /** The interval holding every finite value, padded to nice ticks; [0, 1] when there is none. */
        static Range of(double[]... values) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double[] row : values) {
                for (double v : row) {
                    if (Double.isFinite(v)) {
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
            }
            if (min > max) {
                return UNIT;
            }
            if (min == max) {
                return new Range(min - 0.5, max + 0.5);
            }
            double[] ticks = ticks(min, max, 5);
            return new Range(Math.min(min, ticks[0]), Math.max(max, ticks[ticks.length - 1]));
        }

        double scale(double value, double from, double to) {
            return from + (value - min) / (max - min) * (to - from);
        }
    }

    /** One named series of points, in the colour {@code colour}; {@code dashed} for a reference line. */
    record Series(String name, double[] x, double[] y, String colour, boolean dashed) {
        Series(String name, double[] x, double[] y, String colour) {
            this(name, x, y, colour, false);
        }
    }

    /** One point of a scatter map and the group it is coloured by. */
    record Point(double x, double y, String group) {
    }

    /** The {@code index}-th colour of the palette, round and round. */
    static String colour(int index) {
        return PALETTE.get(Math.floorMod(index, PALETTE.size()));
    }

    /**
     * Lines through each series' points, with markers when {@code markers}; the diagonal {@code y = x} in grey when
     * {@code diagonal} (ROC chance, perfect calibration).
     */
    static String lines(String title, String xLabel, String yLabel, Range x, Range y, List<Series> series,
            boolean diagonal, boolean markers) {
        return lines(title, xLabel, yLabel, x, y, series, diagonal, markers, List.of());
    }

    /**
     * {@link #lines(String, String, String, Range, Range, List, boolean, boolean) Lines}, with {@code key} written
     * below the plot, a line each: what the legend's short names stand for (which run is solid, which dashed).
     */
    static String lines(String title, String xLabel, String yLabel, Range x, Range y, List<Series> series,
            boolean diagonal, boolean markers, List<String> key) {
        Frame frame = new Frame(title, series.size() > 1 ? LEGEND : 0, key.size());
        StringBuilder svg = frame.open(xLabel, yLabel, x, y);
        if (diagonal) {
            svg.append(String.format(Locale.ROOT, "<line class=\"reference\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                    + "y2=\"%.1f\" stroke=\"#999\" stroke-dasharray=\"4 4\"/>", frame.x(x, x.min), frame.y(y, x.min),
                    frame.x(x, x.max), frame.y(y, x.max)));
        }
        for (Series s : series) {
            svg.append("<g class=\"series\"><title>").append(escape(s.name())).append("</title>");
            StringBuilder path = new StringBuilder();
            boolean pen = false;
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isFinite(s.x()[i]) || !Double.isFinite(s.y()[i])) {
                    pen = false;
                    continue;
                }
                path.append(String.format(Locale.ROOT, "%s%.1f,%.1f ", pen ? "L" : "M", frame.x(x, s.x()[i]),
                        frame.y(y, s.y()[i])));
                pen = true;
                if (markers) {
                    svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>",
                            frame.x(x, s.x()[i]), frame.y(y, s.y()[i]), s.colour()));
                }
            }
            svg.append("<path d=\"").append(path.toString().strip()).append("\" fill=\"none\" stroke=\"")
                    .append(s.colour()).append("\" stroke-width=\"2\"")
                    .append(s.dashed() ? " stroke-dasharray=\"6 3\"" : "").append("/></g>");
        }
        frame.legend(svg, series);
        if (!key.isEmpty()) {
            svg.append("<g class=\"key\">");
            for (int i = 0; i < key.size(); i++) {
                svg.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"%d\" class=\"tick\">%s</text>",
                        HEIGHT + 4 + i * KEY_LINE, escape(cut(key.get(i), (WIDTH + frame.legend()) / 6))));
            }
            svg.append("</g>");
        }
        return svg.append("</svg>").toString();
    }

    /**
     * Grouped vertical bars: for each category, one bar per series ({@code values[i]} of the {@code i}-th category).
     * A value is written above its bar; a missing one (NaN) draws no bar.
     */
    static String bars(String title, String yLabel, List<String> categories, List<Series> series, Range y) {
        Frame frame = new Frame(title, series.size() > 1 ? LEGEND : 0, 0);
        StringBuilder svg = frame.open(null, yLabel, null, y);
        double band = frame.plotWidth() / Math.max(1, categories.size());
        double barWidth = Math.min(48, band * 0.8 / Math.max(1, series.size()));
        for (int c = 0; c < categories.size(); c++) {
            double start = LEFT + c * band + (band - barWidth * series.size()) / 2;
            for (int s = 0; s < series.size(); s++) {
                double value = series.get(s).y()[c];
                if (!Double.isFinite(value)) {
                    continue;
                }
                double top = frame.y(y, Math.clamp(value, y.min, y.max));
                double base = frame.y(y, Math.clamp(0, y.min, y.max));
                svg.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                        + "height=\"%.1f\" fill=\"%s\"><title>%s, %s: %s</title></rect>", start + s * barWidth,
                        Math.min(top, base), barWidth - 1, Math.abs(base - top), series.get(s).colour(),
                        escape(categories.get(c)), escape(series.get(s).name()), number(value)));
                if (barWidth >= 22) {
                    svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                            + "class=\"value\">%s</text>", start + s * barWidth + barWidth / 2, Math.min(top, base) - 3,
                            shortNumber(value)));
                }
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"tick\">"
                    + "%s</text>", LEFT + c * band + band / 2, HEIGHT - BOTTOM + 16,
                    escape(cut(categories.get(c), (int) Math.max(4, band / 7)))));
        }
        frame.legend(svg, series);
        return svg.append("</svg>").toString();
    }

    /**
     * A table of counts shaded by each row's share (so a row of few images reads as clearly as a large one), rows
     * {@code rows} down the left, columns {@code columns} along the top.
     */
    static String heatmap(String title, String rowLabel, String columnLabel, List<String> rows, List<String> columns,
            int[][] counts) {
        int cell = 46;
        int left = 120;
        int top = 92;
        int width = Math.max(WIDTH, left + cell * columns.size() + RIGHT);
        int height = top + cell * rows.size() + 16;
        StringBuilder svg = open(title, width, height);
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"axis\">%s</text>", left, 40,
                escape(columnLabel)));
        svg.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"%d\" class=\"axis\">%s</text>", top - 8,
                escape(rowLabel)));
        for (int c = 0; c < columns.size(); c++) {
            double cx = left + c * cell + cell / 2.0;
            svg.append(String.format(Locale.ROOT, "<text transform=\"translate(%.1f,%d) rotate(-35)\" "
                    + "class=\"tick\">%s</text>", cx - 4, top - 6, escape(cut(columns.get(c), 14))));
        }
        for (int r = 0; r < rows.size(); r++) {
            int total = 0;
            for (int count : counts[r]) {
                total += count;
            }
            int y = top + r * cell;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" class=\"tick\">%s"
                    + "</text>", left - 6, y + cell / 2.0 + 4, escape(cut(rows.get(r), 16))));
            for (int c = 0; c < columns.size(); c++) {
                double share = total == 0 ? 0 : (double) counts[r][c] / total;
                svg.append(String.format(Locale.ROOT, "<rect class=\"cell\" x=\"%d\" y=\"%d\" width=\"%d\" "
                        + "height=\"%d\" fill=\"%s\" stroke=\"#fff\"><title>%s as %s: %d (%s of the row)</title>"
                        + "</rect><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"count\" fill=\"%s\">%d"
                        + "</text>", left + c * cell, y, cell, cell, shade(share), escape(rows.get(r)),
                        escape(columns.get(c)), counts[r][c], percent(share), left + c * cell + cell / 2.0,
                        y + cell / 2.0 + 4, share > 0.55 ? "#fff" : "#222", counts[r][c]));
            }
        }
        return svg.append("</svg>").toString();
    }

    /** Points coloured by group, groups in the order of {@code colours} (which gives each its colour). */
    static String scatter(String title, String xLabel, String yLabel, List<Point> points,
            Map<String, String> colours) {
        Frame frame = new Frame(title, LEGEND, 0);
        double[] xs = points.stream().mapToDouble(Point::x).toArray();
        double[] ys = points.stream().mapToDouble(Point::y).toArray();
        Range x = Range.of(xs);
        Range y = Range.of(ys);
        StringBuilder svg = frame.open(xLabel, yLabel, x, y);
        for (Map.Entry<String, String> group : colours.entrySet()) {
            svg.append("<g class=\"group\"><title>").append(escape(group.getKey())).append("</title>");
            for (Point p : points) {
                if (p.group().equals(group.getKey()) && Double.isFinite(p.x()) && Double.isFinite(p.y())) {
                    svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.2\" fill=\"%s\" "
                            + "fill-opacity=\"0.7\"/>", frame.x(x, p.x()), frame.y(y, p.y()), group.getValue()));
                }
            }
            svg.append("</g>");
        }
        frame.legend(svg, colours.entrySet().stream().map(e -> new Series(e.getKey(), null, null, e.getValue()))
                .toList());
        return svg.append("</svg>").toString();
    }

    /** About {@code target} round tick values (1, 2 or 5 times a power of ten apart) covering [min, max]. */
    static double[] ticks(double min, double max, int target) {
        if (!(max > min)) {
            return new double[]{min};
        }
        double raw = (max - min) / Math.max(1, target);
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / power < 1.5
                ? power
                : raw / power < 3
                        ? 2 * power
                        : raw / power < 7
                                ? 5 * power
                                : 10 * power;
        double first = Math.floor(min / step + 1e-9) * step;
        double last = Math.ceil(max / step - 1e-9) * step;
        List<Double> ticks = new ArrayList<>();
        for (double t = first; t <= last + step / 2; t += step) {
            ticks.add(Math.abs(t) < step * 1e-9 ? 0 : t);
        }
        return ticks.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Text with the five XML specials escaped. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    private static StringBuilder open(String title, int width, int height) {
        return new StringBuilder(String.format(Locale.ROOT, "<svg class=\"plot\" xmlns=\"http://www.w3.org/2000/svg\" "
                + "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\"><title>%s</title>"
                + "<text x=\"8\" y=\"20\" class=\"heading\">%s</text>", width, height, width, height, escape(title),
                escape(title)));
    }

    /** The plot area of a chart with axes, where its legend goes, and how many lines of key go below it. */
    private record Frame(String title, int legend, int keyLines) {
        double plotWidth() {
            return WIDTH - LEFT - RIGHT;
        }

        double x(Range range, double value) {
            return range.scale(value, LEFT, WIDTH - RIGHT);
        }

        double y(Range range, double value) {
            return range.scale(value, HEIGHT - BOTTOM, TOP);
        }

        /** The frame, grid and tick labels; {@code x} null for a chart of categories. */
        StringBuilder open(String xLabel, String yLabel, Range x, Range y) {
            StringBuilder svg = Svg.open(title, WIDTH + legend, HEIGHT + keyLines * KEY_LINE);
            for (double t : ticks(y.min, y.max, 5)) {
                if (t >= y.min - 1e-12 && t <= y.max + 1e-12) {
                    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" "
                            + "class=\"grid\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" class=\"tick\">%s</text>",
                            LEFT, WIDTH - RIGHT, y(y, t), y(y, t), LEFT - 6, y(y, t) + 4, shortNumber(t)));
                }
            }
            if (x != null) {
                for (double t : ticks(x.min, x.max, 5)) {
                    if (t >= x.min - 1e-12 && t <= x.max + 1e-12) {
                        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" "
                                + "class=\"grid\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"tick\">"
                                + "%s</text>", x(x, t), x(x, t), TOP, HEIGHT - BOTTOM, x(x, t), HEIGHT - BOTTOM + 16,
                                shortNumber(t)));
                    }
                }
            }
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%d\" "
                    + "class=\"frame\" fill=\"none\"/>", LEFT, TOP, plotWidth(), HEIGHT - TOP - BOTTOM));
            if (xLabel != null) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" "
                        + "class=\"axis\">%s</text>", LEFT + plotWidth() / 2, HEIGHT - 12, escape(xLabel)));
            }
            svg.append(String.format(Locale.ROOT, "<text transform=\"translate(16,%.1f) rotate(-90)\" "
                    + "text-anchor=\"middle\" class=\"axis\">%s</text>", TOP + (HEIGHT - TOP - BOTTOM) / 2.0,
                    escape(yLabel)));
            return svg;
        }

        /** A swatch and name per series; a dashed series' swatch is a dashed line, so the legend tells them apart. */
        void legend(StringBuilder svg, List<Series> series) {
            if (legend == 0) {
                return;
            }
            svg.append("<g class=\"legend\">");
            for (int i = 0; i < series.size(); i++) {
                int y = TOP + 8 + i * 18;
                Series s = series.get(i);
                svg.append(s.dashed()
                        ? String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                                + "stroke-width=\"2\" stroke-dasharray=\"4 2\"/>", WIDTH + 2, y - 4, WIDTH + 18, y - 4,
                                s.colour())
                        : String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" "
                                + "fill=\"%s\"/>", WIDTH + 4, y - 10, s.colour()));
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"tick\">%s</text>",
                        WIDTH + 22, y, escape(cut(s.name(), 17))));
            }
            svg.append("</g>");
        }
    }

    private static String shade(double share) {
        // white to the palette's blue
        int r = (int) Math.round(255 + share * (0x2f - 255));
        int g = (int) Math.round(255 + share * (0x5d - 255));
        int b = (int) Math.round(255 + share * (0x8a - 255));
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    /** Ticks and bar labels: as few digits as show the value. */
    static String shortNumber(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e9) {
            return String.valueOf((long) value);
        }
        String text = String.format(Locale.ROOT, Math.abs(value) >= 10 ? "%.1f" : "%.2f", value);
        return text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    private static String cut(String text, int width) {
        return text.length() <= width ? text : text.substring(0, Math.max(1, width - 1)) + "…";
    }
}
