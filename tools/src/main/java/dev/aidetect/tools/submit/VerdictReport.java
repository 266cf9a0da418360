package dev.aidetect.tools.submit;

import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageLabel;

/**
 * Prints final verdicts as rows, one per image, and the closing summary: the counts, and for labelled images how many
 * each level got right, UNCERTAIN ones counted apart.
 */
public final class VerdictReport {
    private static final String ROW = "%-34s %-9s %-9s %-10s %-18s %6s %8s  %s%n";

    private final PrintWriter out;

    public VerdictReport(PrintWriter out) {
        this.out = out;
    }

    public void header() {
        out.printf(ROW, "IMAGE", "STATUS", "AUTH", "FAMILY", "GENERATOR", "SCORE", "LATENCY", "DETAIL");
    }

    public void row(FinalVerdict v) {
        String detail = switch (v.getStatus()) {
            case REJECTED -> v.getRejection() == null
                    ? ""
                    : v.getRejection().getReason() + ": " + v.getRejection().getMessage();
            case TIMED_OUT -> "no answer from " + v.getWaitingFor();
            case DECIDED -> truth(v.getLabel());
        };
        out.printf(ROW, v.getImageId(), v.getStatus(), v.getAuthenticity(), orDash(v.getFamily()),
                orDash(v.getGenerator()), v.getScore() == null ? "-" : String.format("%.3f", v.getScore()),
                v.getLatencyMillis() < 0 ? "-" : v.getLatencyMillis() + " ms", abbreviate(detail, 70));
    }

    /** Prints the summary line and returns whether every id had exactly one final verdict. */
    public boolean summary(Map<String, List<FinalVerdict>> verdicts) {
        long decided = count(verdicts, FinalStatus.DECIDED);
        long rejected = count(verdicts, FinalStatus.REJECTED);
        long timedOut = count(verdicts, FinalStatus.TIMED_OUT);
        long finals = verdicts.values().stream().mapToLong(List::size).sum();
        long missing = verdicts.values().stream().filter(List::isEmpty).count();
        long duplicated = verdicts.values().stream().filter(l -> l.size() > 1).count();
        out.printf("%d submitted, %d final verdicts (%d decided, %d rejected, %d timed out)%n", verdicts.size(),
                finals, decided, rejected, timedOut);
        accuracy(verdicts);
        if (missing > 0 || duplicated > 0) {
            out.printf("INVARIANT BROKEN: %d image(s) without a final verdict, %d with more than one%n", missing,
                    duplicated);
        }
        return missing == 0 && duplicated == 0;
    }

    /**
     * Prints, for decided images that carry a label, how many each level got right: real/fake, and for fakes
     * correctly called fake, the family and then the generator. An image called UNCERTAIN (its detection score within
     * the router's band around the threshold) is neither right nor wrong: it is counted apart, by its truth.
     */
    private void accuracy(Map<String, List<FinalVerdict>> verdicts) {
        int labelled = 0;
        int authentic = 0;
        int fakes = 0;
        int family = 0;
        int generator = 0;
        Map<Authenticity, Integer> uncertain = new EnumMap<>(Authenticity.class);
        for (List<FinalVerdict> list : verdicts.values()) {
            if (list.size() != 1 || list.getFirst().getStatus() != FinalStatus.DECIDED
                    || list.getFirst().getLabel() == null) {
                continue;
            }
            FinalVerdict v = list.getFirst();
            ImageLabel truth = v.getLabel();
            if (v.getAuthenticity() == Authenticity.UNCERTAIN) {
                uncertain.merge(truth.getAuthenticity(), 1, Integer::sum);
                continue;
            }
            labelled++;
            if (v.getAuthenticity() == truth.getAuthenticity()) {
                authentic++;
                if (truth.getFamily() != null) {
                    fakes++;
                    family += truth.getFamily().equals(v.getFamily()) ? 1 : 0;
                    generator += truth.getGenerator() != null && truth.getGenerator().equals(v.getGenerator()) ? 1 : 0;
                }
            }
        }
        if (labelled > 0 || !uncertain.isEmpty()) {
            out.printf("labelled and decided: real/fake right %d/%d%s; of fakes called fake: family right %d/%d, "
                    + "generator right %d/%d%n", authentic, labelled, uncertain(uncertain), family, fakes, generator,
                    fakes);
        }
    }

    /** {@code , 3 uncertain (neither right nor wrong; truth: 1 REAL, 2 FAKE)}, or nothing when there are none. */
    private static String uncertain(Map<Authenticity, Integer> byTruth) {
        if (byTruth.isEmpty()) {
            return "";
        }
        int total = byTruth.values().stream().mapToInt(Integer::intValue).sum();
        return ", " + total + " uncertain (neither right nor wrong; truth: " + byTruth.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")) + ")";
    }

    private static long count(Map<String, List<FinalVerdict>> verdicts, FinalStatus status) {
        return verdicts.values().stream().flatMap(List::stream).filter(v -> v.getStatus() == status).count();
    }

    private static String truth(ImageLabel label) {
        if (label == null) {
            return "";
        }
        StringBuilder s = new StringBuilder("truth: ").append(label.getAuthenticity());
        if (label.getGenerator() != null) {
            s.append(' ').append(label.getFamily()).append('/').append(label.getGenerator());
        }
        return s.toString();
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
