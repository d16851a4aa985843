package io.katacc.snp.device;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FirmwareErrorTest {

    @Test
    void splitsFirmwareAndHypervisorErrors() {
        assertEquals("firmware status 0x16 INVALID_PARAM", new FirmwareError(0x16).describe());
        FirmwareError tooSmall = new FirmwareError(1L << 32);
        assertEquals(FirmwareError.VMM_ERR_INVALID_LEN, tooSmall.vmmError());
        assertEquals(0, tooSmall.firmwareStatus());
        assertTrue(tooSmall.describe().contains("INVALID_LEN"), tooSmall.describe());
        assertTrue(new FirmwareError(2L << 32).describe().contains("BUSY"));
        assertEquals("hypervisor error GENERIC, firmware status 0x7 POLICY_FAILURE",
                new FirmwareError(0x8000_0000L << 32 | 7).describe());
        assertEquals("UNKNOWN_0x99", FirmwareError.firmwareStatusName(0x99));
        assertEquals("INVALID_KEY", FirmwareError.firmwareStatusName(0x27));
    }

    @Test
    void reportResponseStatusAndSizeAreChecked() {
        byte[] rsp = new byte[4000];
        ByteBuffer b = ByteBuffer.wrap(rsp).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x16);
        var e = assertThrows(SevGuestException.class, () -> SevGuestDevice.reportFrom(rsp));
        assertTrue(e.getMessage().contains("INVALID_PARAM"), e.getMessage());
        b.putInt(0, 0).putInt(4, 1000);
        assertTrue(assertThrows(SevGuestException.class, () -> SevGuestDevice.reportFrom(rsp)).getMessage()
                .contains("1000-byte"));
        b.putInt(4, 1184);
        rsp[0x20] = 2;
        rsp[0x20 + 1183] = 9;
        byte[] report = SevGuestDevice.reportFrom(rsp);
        assertEquals(1184, report.length);
        assertEquals(2, report[0]);
        assertEquals(9, report[1183]);
    }

    @Test
    void certTableRoundTripsAndRejectsBadOffsets() {
        CertTable t = new CertTable(List.of(new CertTable.Entry(CertTable.VCEK, new byte[] {1, 2, 3}),
                new CertTable.Entry(CertTable.ASK, new byte[] {4}), new CertTable.Entry(CertTable.ARK, new byte[0])));
        byte[] enc = t.toBytes();
        // The GUID is stored in its canonical byte order.
        assertEquals((byte) 0x63, enc[0]);
        assertEquals((byte) 0xda, enc[1]);
        byte[] page = java.util.Arrays.copyOf(enc, 4096);
        CertTable back = CertTable.parse(page);
        assertEquals(3, back.entries().size());
        assertArrayEquals(new byte[] {1, 2, 3}, back.get(CertTable.VCEK).orElseThrow());
        assertArrayEquals(new byte[] {4}, back.get(CertTable.ASK).orElseThrow());
        assertTrue(back.get(UUID.randomUUID()).isEmpty());
        ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN).putInt(20, 5000);
        assertThrows(IllegalArgumentException.class, () -> CertTable.parse(page));
        assertTrue(CertTable.parse(new byte[24]).entries().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> CertTable.parse(new byte[] {1, 2, 3}));
    }
}
