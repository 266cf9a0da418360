package dev.aidetect.tools.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The process on this machine that listens on a TCP port, found as {@code ss -ltp} finds it: the socket's inode in
 * {@code /proc/net/tcp} and {@code tcp6} (state 0A, LISTEN), then the process whose {@code /proc/<pid>/fd} holds
 * {@code socket:[inode]}. Only processes whose descriptors this user may read are found (one's own).
 */
final class ListeningProcess {
    private static final String LISTEN = "0A";

    private ListeningProcess() {
    }

    static OptionalLong pidOf(int port) {
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                inodes.addAll(listeningInodes(Files.readAllLines(Path.of(table)), port));
            } catch (IOException e) {
                // no such table (IPv6 off, or not Linux): the other one may have it
            }
        }
        if (inodes.isEmpty()) {
            return OptionalLong.empty();
        }
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                if (holdsSocket(process, inodes)) {
                    return OptionalLong.of(Long.parseLong(process.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /** Inodes of the sockets listening on {@code port} in a /proc/net/tcp table (header line first). */
    static Set<String> listeningInodes(List<String> table, int port) {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        Set<String> inodes = new HashSet<>();
        for (String line : table.subList(Math.min(1, table.size()), table.size())) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > 9 && fields[1].endsWith(hexPort) && fields[3].equals(LISTEN)) {
                inodes.add(fields[9]);
            }
        }
        return inodes;
    }

    private static boolean holdsSocket(Path process, Set<String> inodes) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
            for (Path fd : fds) {
                String target = Files.readSymbolicLink(fd).toString();
                if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) {
                    return true;
                }
            }
        } catch (IOException | SecurityException e) {
            // another user's process, or gone: not ours to read
        }
        return false;
    }
}
