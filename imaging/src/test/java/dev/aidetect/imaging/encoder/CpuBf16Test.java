package dev.aidetect.imaging.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class CpuBf16Test {

    @Test
    void findsAvx512Bf16InTheFlagsOfAZen4() {
        String cpuinfo = """
                processor\t: 0
                vendor_id\t: AuthenticAMD
                flags\t\t: fpu vme avx2 avx512f avx512_bf16 avx512_vnni
                """;

        assertThat(CpuBf16.inCpuinfo(cpuinfo)).contains(true);
    }

    @Test
    void findsAmxOnSapphireRapidsAndBf16OnArm() {
        assertThat(CpuBf16.inCpuinfo("flags\t\t: avx2 avx512f amx_bf16 amx_tile\n")).contains(true);
        assertThat(CpuBf16.inCpuinfo("Features\t: fp asimd bf16 i8mm\n")).contains(true);
    }

    @Test
    void saysNoForAvx2OnlyAndCannotTellWithoutFlags() {
        assertThat(CpuBf16.inCpuinfo("flags\t\t: fpu avx avx2 fma avx512f\n")).contains(false);
        assertThat(CpuBf16.inCpuinfo("processor\t: 0\n")).isEqualTo(Optional.empty());
    }
}
