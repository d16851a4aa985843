package io.katacc.snp.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CpuGenerationTest {

    @Test
    void cpuidModelsMapToGenerations() {
        assertEquals(Optional.of(CpuGeneration.MILAN), CpuGeneration.fromCpuid(0x19, 0x01));
        assertEquals(Optional.of(CpuGeneration.GENOA), CpuGeneration.fromCpuid(0x19, 0x11));
        // Bergamo/Siena (family 19h, models A0h-AFh) use Genoa's chain and TCB layout.
        assertEquals(Optional.of(CpuGeneration.GENOA), CpuGeneration.fromCpuid(0x19, 0xA0));
        assertEquals(Optional.of(CpuGeneration.GENOA), CpuGeneration.fromCpuid(0x19, 0xAF));
        assertEquals(Optional.of(CpuGeneration.TURIN), CpuGeneration.fromCpuid(0x1A, 0x02));
        assertEquals(Optional.of(CpuGeneration.TURIN), CpuGeneration.fromCpuid(0x1A, 0x11));
        assertTrue(CpuGeneration.fromCpuid(0x19, 0x20).isEmpty());
        assertTrue(CpuGeneration.fromCpuid(0x19, 0xB0).isEmpty());
        assertTrue(CpuGeneration.fromCpuid(0x1A, 0xA0).isEmpty(), "model ranges belong to their own family");
        assertTrue(CpuGeneration.fromCpuid(0x17, 0x31).isEmpty());
    }

    @Test
    void tcbLayoutsDropNoBytesOnlyWhenTheUndefinedOnesAreZero() {
        TcbVersion milan = TcbVersion.encode(CpuGeneration.MILAN, new TcbVersion.Parts(0, 2, 0, 5, 0x44));
        assertTrue(milan.fitsLayoutOf(CpuGeneration.MILAN));
        assertFalse(new TcbVersion(milan.raw() | 1L << 16).fitsLayoutOf(CpuGeneration.GENOA));
        TcbVersion turin = TcbVersion.encode(CpuGeneration.TURIN, new TcbVersion.Parts(3, 1, 0, 4, 0x55));
        assertTrue(turin.fitsLayoutOf(CpuGeneration.TURIN));
        assertFalse(turin.fitsLayoutOf(CpuGeneration.MILAN), "Turin's bytes 2 and 3 have no Milan field");
        assertFalse(new TcbVersion(turin.raw() | 1L << 40).fitsLayoutOf(CpuGeneration.TURIN));
    }
}
