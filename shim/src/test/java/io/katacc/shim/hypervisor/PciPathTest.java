package io.katacc.shim.hypervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PciPathTest {
    @Test
    void printsKataNotation() {
        assertEquals("10/00", PciPath.of(0x10, 0).toString());
        assertEquals("06", PciPath.fromRootBusBdf("0000:00:06.0").toString());
        assertEquals("1e", PciPath.fromRootBusBdf("0000:00:1e.0").toString());
    }

    @Test
    void refusesWhatIsNotARootBusSlot() {
        assertThrows(IllegalArgumentException.class, () -> PciPath.fromRootBusBdf("0000:01:06.0"));
        assertThrows(IllegalArgumentException.class, () -> PciPath.fromRootBusBdf(""));
        assertThrows(IllegalArgumentException.class, () -> PciPath.of(0x20));
        assertThrows(IllegalArgumentException.class, () -> new PciPath(java.util.List.of()));
    }
}
