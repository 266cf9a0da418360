package dev.aidetect.imaging.encoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Whether this CPU computes in bfloat16 natively (x86 {@code avx512_bf16} or {@code amx_bf16}, Arm {@code bf16}), read
 * from {@code /proc/cpuinfo}. Elsewhere libtorch emulates bfloat16, more slowly than float32.
 */
final class CpuBf16 {
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    private CpuBf16() {
    }

    /** Empty where it cannot tell (no {@code /proc/cpuinfo}, or no flags line in it). */
    static Optional<Boolean> native16() {
        try {
            return Files.isReadable(CPUINFO) ? inCpuinfo(Files.readString(CPUINFO)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The first {@code flags} (x86) or {@code Features} (Arm) line of a cpuinfo text decides. */
    static Optional<Boolean> inCpuinfo(String cpuinfo) {
        return cpuinfo.lines()
                .filter(line -> line.startsWith("flags") || line.startsWith("Features"))
                .findFirst()
                .map(line -> Arrays.stream(line.substring(line.indexOf(':') + 1).strip().split("\\s+"))
                        .anyMatch(flag -> flag.equals("avx512_bf16") || flag.equals("amx_bf16")
                                || flag.equals("bf16")));
    }
}
