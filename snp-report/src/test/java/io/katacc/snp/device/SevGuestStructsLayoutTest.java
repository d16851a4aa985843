package io.katacc.snp.device;

import static org.junit.jupiter.api.Assertions.*;

import io.katacc.snp.device.SevGuestStructs.*;
import org.junit.jupiter.api.Test;

/** Sizes and offsets from include/uapi/linux/sev-guest.h (x86-64 ABI), as laid out by JNA. */
class SevGuestStructsLayoutTest {

    @Test
    void reportRequest() {
        SnpReportReq s = new SnpReportReq();
        assertEquals(96, s.size());
        assertEquals(0, SevGuestStructs.offsetOf(s, "user_data"));
        assertEquals(64, SevGuestStructs.offsetOf(s, "vmpl"));
        assertEquals(68, SevGuestStructs.offsetOf(s, "rsvd"));
        assertEquals(4000, new SnpReportResp().size());
    }

    @Test
    void derivedKeyRequest() {
        SnpDerivedKeyReq s = new SnpDerivedKeyReq();
        assertEquals(32, s.size());
        assertEquals(0, SevGuestStructs.offsetOf(s, "root_key_select"));
        assertEquals(4, SevGuestStructs.offsetOf(s, "rsvd"));
        assertEquals(8, SevGuestStructs.offsetOf(s, "guest_field_select"));
        assertEquals(16, SevGuestStructs.offsetOf(s, "vmpl"));
        assertEquals(20, SevGuestStructs.offsetOf(s, "guest_svn"));
        assertEquals(24, SevGuestStructs.offsetOf(s, "tcb_version"));
        assertEquals(64, new SnpDerivedKeyResp().size());
    }

    @Test
    void guestRequestIoctl() {
        SnpGuestRequestIoctl s = new SnpGuestRequestIoctl();
        assertEquals(32, s.size());
        assertEquals(0, SevGuestStructs.offsetOf(s, "msg_version"));
        assertEquals(8, SevGuestStructs.offsetOf(s, "req_data"));
        assertEquals(16, SevGuestStructs.offsetOf(s, "resp_data"));
        assertEquals(24, SevGuestStructs.offsetOf(s, "exitinfo2"));
    }

    @Test
    void extendedReportRequest() {
        SnpExtReportReq s = new SnpExtReportReq();
        assertEquals(112, s.size(), "96 + 8 + 4, padded to 8-byte alignment");
        assertEquals(0, SevGuestStructs.offsetOf(s, "data"));
        assertEquals(96, SevGuestStructs.offsetOf(s, "certs_address"));
        assertEquals(104, SevGuestStructs.offsetOf(s, "certs_len"));
    }

    @Test
    void ioctlNumbersMatchTheKernel() {
        // _IOWR('S', n, struct snp_guest_request_ioctl) with sizeof == 32
        assertEquals(0xC0205300L, SevGuestIoctl.SNP_GET_REPORT);
        assertEquals(0xC0205301L, SevGuestIoctl.SNP_GET_DERIVED_KEY);
        assertEquals(0xC0205302L, SevGuestIoctl.SNP_GET_EXT_REPORT);
        assertEquals(new SnpGuestRequestIoctl().size(), SevGuestIoctl.REQUEST_STRUCT_SIZE);
    }

    @Test
    void requestStructBytesAreWhereTheKernelReadsThem() {
        SnpReportReq s = new SnpReportReq();
        s.user_data[0] = 0x11;
        s.user_data[63] = 0x22;
        s.vmpl = 0x01020304;
        s.write();
        byte[] b = s.getPointer().getByteArray(0, 96);
        assertEquals(0x11, b[0]);
        assertEquals(0x22, b[63]);
        assertArrayEquals(new byte[] {4, 3, 2, 1}, java.util.Arrays.copyOfRange(b, 64, 68));
    }
}
