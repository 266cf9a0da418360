package dev.aidetect.tools.eval;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import dev.aidetect.heads.attribution.Augmentation;
import dev.aidetect.imaging.Jpegs;

/**
 * One point of a robustness sweep ({@code eval --sweep jpeg=100,90,75}): a transform and its strength, applied to
 * every image's bytes before it is submitted, as the papers degrade their test sets. {@code jpeg=Q} re-encodes at
 * quality Q ({@link Jpegs}, the JDK encoder the project writes every JPEG with); {@code blur=S} is a Gaussian blur of
 * sigma S pixels ({@link Augmentation#blur}, the one attribution training augments with); {@code scale=F} resizes by F
 * (bicubic). Blurred and scaled images are written as PNG, so the transform is the only change; the identity points
 * ({@code blur=0}, {@code scale=1}) submit the original bytes untouched.
 *
 * @param kind {@code jpeg}, {@code blur} or {@code scale}
 * @param value its strength
 */
record SweepPoint(String kind, double value) {
    static final List<String> KINDS = List.of("jpeg", "blur", "scale");

    /**
     * Parses one {@code --sweep} value, {@code kind=v1,v2,...}, into its points in the order given.
     *
     * @throws IllegalArgumentException naming what is wrong and the form expected
     */
    static List<SweepPoint> parse(String option) {
        int equals = option.indexOf('=');
        String kind = equals < 0 ? option.strip() : option.substring(0, equals).strip().toLowerCase(Locale.ROOT);
        if (equals < 0 || !KINDS.contains(kind)) {
            throw new IllegalArgumentException("--sweep '" + option + "': expected KIND=V1,V2,... with KIND one of "
                    + KINDS + ", e.g. jpeg=100,90,75,50,30, blur=0,1,2,3 or scale=1,0.75,0.5");
        }
        List<SweepPoint> points = new ArrayList<>();
        for (String text : option.substring(equals + 1).split(",")) {
            double value;
            try {
                value = Double.parseDouble(text.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--sweep " + kind + ": '" + text + "' is not a number", e);
            }
            boolean valid = switch (kind) {
                case "jpeg" -> value >= 1 && value <= 100 && value == Math.rint(value);
                case "blur" -> value >= 0 && value <= 20;
                default -> value > 0 && value <= 4;
            };
            if (!valid) {
                throw new IllegalArgumentException("--sweep " + kind + "=" + text.strip() + " is out of range: "
                        + switch (kind) {
                            case "jpeg" -> "a JPEG quality is a whole number from 1 to 100";
                            case "blur" -> "a blur sigma is 0 to 20 pixels";
                            default -> "a scale factor is above 0 and at most 4";
                        });
            }
            points.add(new SweepPoint(kind, value));
        }
        return points;
    }

    /** {@code jpeg=75}, {@code scale=0.5}: as the option spells it. */
    String label() {
        return kind + "=" + Svg.shortNumber(value);
    }

    /** What the point adds to the run id, so each point is a run of its own: {@code jpeg75}, {@code scale0.5}. */
    String runSuffix() {
        return kind + Svg.shortNumber(value);
    }

    /** Whether the image stays as it is (its bytes are submitted unchanged). */
    boolean identity() {
        return kind.equals("blur") && value < 0.05 || kind.equals("scale") && value == 1;
    }

    /**
     * The image's bytes after the transform.
     *
     * @throws IOException when the bytes are not an image the JDK decodes
     */
    byte[] apply(byte[] image) throws IOException {
        if (identity()) {
            return image;
        }
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image));
        if (decoded == null) {
            throw new IOException("not an image the JDK's ImageIO decodes, so --sweep " + label() + " cannot "
                    + "transform it");
        }
        BufferedImage rgb = rgb(decoded);
        return switch (kind) {
            case "jpeg" -> Jpegs.encode(rgb, (float) (value / 100));
            case "blur" -> png(Augmentation.blur(rgb, value));
            default -> png(scaled(rgb, value));
        };
    }

    /** {@code image} resized by {@code factor} (at least 1 x 1 pixel), bicubic. */
    static BufferedImage scaled(BufferedImage image, double factor) {
        int width = Math.max(1, (int) Math.round(image.getWidth() * factor));
        int height = Math.max(1, (int) Math.round(image.getHeight() * factor));
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(image, 0, 0, width, height, null);
        g.dispose();
        return out;
    }

    private static BufferedImage rgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return out;
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }
}
