package dev.aidetect.heads.attribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

import dev.aidetect.heads.ArtifactJson;
import dev.aidetect.heads.Checksums;
import dev.aidetect.heads.ThresholdRule;

/**
 * An ensemble of real/fake networks as one detection model: one directory with {@value #FILE} and a copy of every
 * member network under {@value #MEMBERS}/, so it is served, versioned, checksummed and hot-swapped as a single
 * network is. Its P(FAKE) is the members' mean over test-time views of each image ({@link TestViews}: the centre crop,
 * the crop moved towards each corner, each mirrored: the shifts and flips the members trained on); its serving
 * threshold is chosen on the held-out images the members share (every member trained on the same images with the
 * same seed and split). One member with several views is test-time augmentation alone. Averaging networks that err on
 * different images, and views that a single network errs on differently, is the cheapest gain a detector has left
 * once a network's capacity limits it (measured on CIFAKE in the heads README).
 */
public final class DetectionEnsemble {
    /** The ensemble's metadata file; its presence makes a directory an ensemble. */
    public static final String FILE = "ensemble.json";
    /** Folder of the member networks inside an ensemble's directory. */
    public static final String MEMBERS = "members";
    public static final int FORMAT_VERSION = 1;

    /**
     * What {@value #FILE} holds.
     *
     * @param formatVersion version of this layout
     * @param id stable model id, e.g. {@code detection-ensemble-4-shift2-mirror}
     * @param version content checksum prefix: of this metadata and every member's version
     * @param members the member networks' directories, relative to the ensemble's (under {@value #MEMBERS}/)
     * @param views the views of each image every member scores
     * @param detection the ensemble's serving threshold on P(FAKE) and its held-out metrics
     * @param createdAt when the ensemble was written
     */
    public record Metadata(int formatVersion, String id, String version, List<String> members, TestViews views,
            DetectionThreshold detection, Instant createdAt) {
    }

    private DetectionEnsemble() {
    }

    /** The id an ensemble of {@code size} networks gets unless one is given. */
    public static String defaultId(int size, TestViews views) {
        return DetectionNetwork.STAGE + "-ensemble-" + size + (views.equals(TestViews.CENTRE)
                ? ""
                : "-"
                        + views.label());
    }

    /**
     * Writes an ensemble of trained real/fake networks to {@code out} (created; an earlier ensemble there is
     * replaced): copies each member in, scores the held-out images with the ensemble's P(FAKE), chooses its serving
     * threshold with {@code rule} and records accuracy at it, AP and ROC AUC.
     *
     * @param heldOut the images every member held out of training ({@link AttributionTrainer#heldOut} with their
     *        seed and validation fraction)
     * @param scored the number of held-out images scored so far
     * @throws IOException when a member is not a real/fake network, or the members did not share that split
     */
    public static DetectionNetwork write(List<Path> memberDirs, TestViews views, String id,
            AttributionTrainer.HeldOut heldOut, ThresholdRule rule, Path out, IntConsumer scored) throws IOException {
        checkSize(memberDirs.size(), views);
        for (Path member : memberDirs) {
            if (member.toAbsolutePath().normalize().startsWith(out.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("member " + member + " lies inside the ensemble's folder " + out
                        + ", which is replaced: write the ensemble to another folder");
            }
        }
        Files.deleteIfExists(out.resolve(FILE));
        if (Files.isDirectory(out.resolve(MEMBERS))) {
            try (Stream<Path> earlier = Files.walk(out.resolve(MEMBERS))) {
                for (Path path : earlier.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        Files.createDirectories(out.resolve(MEMBERS));
        List<String> names = new ArrayList<>();
        List<byte[]> parts = new ArrayList<>();
        for (int i = 0; i < memberDirs.size(); i++) {
            Path from = memberDirs.get(i);
            AttributionMetadata member;
            try (AttributionNetwork network = AttributionNetwork.load(from, 0)) {
                DetectionNetwork.check(network, from);
                member = network.metadata();
            }
            checkSameSplit(from, member, heldOut);
            String name = MEMBERS + "/" + String.format(Locale.ROOT, "%d-%s-%s", i + 1, member.id(),
                    member.version());
            copy(from, out.resolve(name));
            names.add(name);
            parts.add(member.version().getBytes(StandardCharsets.UTF_8));
        }
        Metadata provisional = new Metadata(FORMAT_VERSION, id, "", names, views,
                new DetectionThreshold(DetectionNetwork.FAKE, 0.5, "provisional", 0, 0, 0), null);
        DetectionThreshold serving;
        try (DetectionNetwork scoring = open(out, provisional)) {
            int fake = heldOut.classes().indexOf(DetectionNetwork.FAKE);
            int[] positive = new int[heldOut.images().size()];
            double[] scores = new double[positive.length];
            for (int i = 0; i < positive.length; i++) {
                positive[i] = heldOut.labels()[i] == fake ? 1 : 0;
                scores[i] = scoring.fakeProbability(heldOut.images().get(i));
                scored.accept(i + 1);
            }
            serving = DetectionCalibration.serving(id, positive, scores, rule);
        }
        Metadata unversioned = new Metadata(FORMAT_VERSION, id, "", names, views, serving, null);
        parts.addFirst(ArtifactJson.write(unversioned));
        Metadata complete = new Metadata(FORMAT_VERSION, id, Checksums.versionOf(parts.toArray(byte[][]::new)), names,
                views, serving, Instant.now());
        Files.write(out.resolve(FILE), ArtifactJson.write(complete));
        return load(out);
    }

    /**
     * Loads the ensemble in {@code dir}.
     *
     * @throws IOException when {@value #FILE} or a member is missing, unreadable or not a real/fake network
     */
    static DetectionNetwork load(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    "no detection ensemble there; write one with aidetect train detector-ensemble");
        }
        Metadata metadata = ArtifactJson.read(Files.readAllBytes(file), Metadata.class, file.toString());
        if (metadata.formatVersion() != FORMAT_VERSION) {
            throw new IOException(file + " has ensemble format " + metadata.formatVersion() + " but this code reads "
                    + FORMAT_VERSION + "; write the ensemble again or upgrade the service");
        }
        int size = metadata.members() == null ? 0 : metadata.members().size();
        TestViews views = metadata.views() == null ? TestViews.CENTRE : metadata.views();
        if (size < 1 || size == 1 && views.count() == 1 || metadata.detection() == null) {
            throw new IOException(file + " names " + size + " members and " + views
                    + (metadata.detection() == null ? " and no serving threshold" : "") + "; an ensemble averages "
                    + "at least 2 networks, or views of one, with a threshold: write it again");
        }
        return open(dir, metadata);
    }

    private static DetectionNetwork open(Path dir, Metadata metadata) throws IOException {
        List<AttributionNetwork> members = new ArrayList<>();
        try {
            for (String name : metadata.members()) {
                Path member = dir.resolve(name).normalize();
                if (!member.startsWith(dir.normalize()) || member.equals(dir.normalize())) {
                    throw new IOException(dir.resolve(FILE) + " names member '" + name + "' outside the ensemble's "
                            + "directory; members live under " + MEMBERS + "/: write the ensemble again");
                }
                AttributionNetwork network = AttributionNetwork.load(member, 0);
                members.add(network);
                DetectionNetwork.check(network, member);
            }
        } catch (IOException | RuntimeException e) {
            members.forEach(AttributionNetwork::close);
            throw e;
        }
        return DetectionNetwork.ensemble(members, metadata.views() == null ? TestViews.CENTRE : metadata.views(),
                metadata.detection(), metadata.id(), metadata.version());
    }

    /** At least 2 members, or 1 with several views. */
    private static void checkSize(int members, TestViews views) {
        if (members < 1 || members == 1 && views.count() == 1) {
            throw new IllegalArgumentException("an ensemble needs at least 2 member networks, or 1 with several "
                    + "views (a shift, the mirror), got " + members + " with " + views);
        }
    }

    /** The member must have held out exactly {@code heldOut}: same images per class, seed and held-out count. */
    private static void checkSameSplit(Path dir, AttributionMetadata member, AttributionTrainer.HeldOut heldOut)
            throws IOException {
        if (!member.examplesPerClass().equals(heldOut.counts())
                || member.validationCount() != heldOut.images().size()) {
            throw new IOException("network " + member.id() + " in " + dir + " was trained on "
                    + member.examplesPerClass() + " images and held out " + member.validationCount()
                    + ", but the images given are " + heldOut.counts() + " with " + heldOut.images().size()
                    + " held out: give the folder, seed and validation share it was trained with");
        }
    }

    /** Copies a member network's own files (its metadata and weights), not what lies beside them (a README). */
    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.filter(Files::isRegularFile).filter(DetectionEnsemble::isNetworkFile).toList()) {
                Files.copy(file, to.resolve(file.getFileName().toString()),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static boolean isNetworkFile(Path file) {
        String name = file.getFileName().toString();
        return name.equals(AttributionMetadata.FILE) || name.startsWith(AttributionMetadata.PARAMETERS_PREFIX + "-")
                && name.endsWith(".params") || name.equals(AttributionMetadata.PARAMETERS_PREFIX + ".pt");
    }
}
