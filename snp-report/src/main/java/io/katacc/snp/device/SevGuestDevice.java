package io.katacc.snp.device;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Structure;
import io.katacc.snp.device.SevGuestStructs.SnpDerivedKeyReq;
import io.katacc.snp.device.SevGuestStructs.SnpDerivedKeyResp;
import io.katacc.snp.device.SevGuestStructs.SnpExtReportReq;
import io.katacc.snp.device.SevGuestStructs.SnpGuestRequestIoctl;
import io.katacc.snp.device.SevGuestStructs.SnpReportReq;
import io.katacc.snp.device.SevGuestStructs.SnpReportResp;
import io.katacc.snp.report.ReportLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The SEV-SNP guest device (/dev/sev-guest, driver sev-guest). One request at a time per instance:
 * the kernel serialises guest requests anyway, and the firmware sequence numbers must not interleave.
 */
public final class SevGuestDevice implements AutoCloseable {
    public static final Path DEFAULT_PATH = Path.of("/dev/sev-guest");
    private static final int PAGE = 4096;
    /** MSG_REPORT_RSP / MSG_KEY_RSP: status at 0, size (report only) at 4, payload at 0x20. */
    private static final int RSP_PAYLOAD = 0x20;

    private final LibC libc;
    private final int fd;
    private final Path path;

    private SevGuestDevice(LibC libc, int fd, Path path) {
        this.libc = libc;
        this.fd = fd;
        this.path = path;
    }

    public static boolean available(Path path) {
        return Files.exists(path);
    }

    public static SevGuestDevice open(Path path) {
        if (!Files.exists(path)) {
            throw new SevGuestException(path + " does not exist: not an SEV-SNP guest, or the sev-guest driver "
                    + "is not loaded (modprobe sev-guest)", (FirmwareError) null);
        }
        LibC libc = LibC.load();
        try {
            return new SevGuestDevice(libc, libc.open(path.toString(), LibC.O_RDWR | LibC.O_CLOEXEC), path);
        } catch (LastErrorException e) {
            throw new SevGuestException("cannot open " + path + " (errno " + e.getErrorCode() + ")", e);
        }
    }

    /** SNP_GET_REPORT: the raw 1184-byte report with REPORT_DATA = userData. */
    public synchronized byte[] getReport(byte[] userData64, int vmpl) {
        SnpReportReq req = reportReq(userData64, vmpl);
        SnpReportResp resp = new SnpReportResp();
        call(SevGuestIoctl.SNP_GET_REPORT, "SNP_GET_REPORT", req, resp);
        return reportFrom(resp.data);
    }

    /** The report plus the certificate table the host supplied (may be empty). */
    public record ExtendedReport(byte[] report, CertTable certs) {
    }

    /** SNP_GET_EXT_REPORT: report + certificate table; grows the buffer once if the host asks for more. */
    public synchronized ExtendedReport getExtendedReport(byte[] userData64, int vmpl) {
        int len = 4 * PAGE;
        for (int attempt = 0; attempt < 2; attempt++) {
            Memory certs = new Memory(len);
            certs.clear();
            SnpExtReportReq req = new SnpExtReportReq();
            req.data = reportReq(userData64, vmpl);
            req.certs_address = com.sun.jna.Pointer.nativeValue(certs);
            req.certs_len = len;
            SnpReportResp resp = new SnpReportResp();
            try {
                call(SevGuestIoctl.SNP_GET_EXT_REPORT, "SNP_GET_EXT_REPORT", req, resp);
            } catch (SevGuestException e) {
                boolean tooSmall = e.firmwareError().map(f -> f.vmmError() == FirmwareError.VMM_ERR_INVALID_LEN)
                        .orElse(false);
                req.read();
                if (!tooSmall || attempt > 0 || req.certs_len <= len) {
                    throw e;
                }
                len = (req.certs_len + PAGE - 1) / PAGE * PAGE;
                continue;
            }
            byte[] table = certs.getByteArray(0, len);
            return new ExtendedReport(reportFrom(resp.data), CertTable.parse(table));
        }
        throw new IllegalStateException("unreachable");
    }

    /** SNP_GET_DERIVED_KEY: a 32-byte key derived from the VCEK (rootKeySelect 0) or VMRK (1). */
    public synchronized byte[] getDerivedKey(int rootKeySelect, long guestFieldSelect, int vmpl, int guestSvn,
            long tcbVersion) {
        SnpDerivedKeyReq req = new SnpDerivedKeyReq();
        req.root_key_select = rootKeySelect;
        req.guest_field_select = guestFieldSelect;
        req.vmpl = vmpl;
        req.guest_svn = guestSvn;
        req.tcb_version = tcbVersion;
        SnpDerivedKeyResp resp = new SnpDerivedKeyResp();
        call(SevGuestIoctl.SNP_GET_DERIVED_KEY, "SNP_GET_DERIVED_KEY", req, resp);
        int status = ByteBuffer.wrap(resp.data).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (status != 0) {
            throw new SevGuestException("SNP_GET_DERIVED_KEY", new FirmwareError(Integer.toUnsignedLong(status)));
        }
        return Arrays.copyOfRange(resp.data, RSP_PAYLOAD, RSP_PAYLOAD + 32);
    }

    private static SnpReportReq reportReq(byte[] userData64, int vmpl) {
        if (userData64 == null || userData64.length != 64) {
            throw new IllegalArgumentException("user data must be exactly 64 bytes");
        }
        if (vmpl < 0 || vmpl > 3) {
            throw new IllegalArgumentException("VMPL must be 0..3, got " + vmpl);
        }
        SnpReportReq req = new SnpReportReq();
        req.user_data = userData64.clone();
        req.vmpl = vmpl;
        return req;
    }

    /** Parses MSG_REPORT_RSP: checks the firmware status and the report size. */
    static byte[] reportFrom(byte[] rsp) {
        ByteBuffer b = ByteBuffer.wrap(rsp).order(ByteOrder.LITTLE_ENDIAN);
        int status = b.getInt(0);
        if (status != 0) {
            throw new SevGuestException("firmware rejected the report request",
                    new FirmwareError(Integer.toUnsignedLong(status)));
        }
        int size = b.getInt(4);
        if (size != ReportLayout.SIZE) {
            throw new SevGuestException("firmware returned a " + size + "-byte report, expected "
                    + ReportLayout.SIZE, (FirmwareError) null);
        }
        return Arrays.copyOfRange(rsp, RSP_PAYLOAD, RSP_PAYLOAD + size);
    }

    private void call(long request, String name, Structure req, Structure resp) {
        req.write();
        resp.write();
        SnpGuestRequestIoctl io = new SnpGuestRequestIoctl();
        io.msg_version = SevGuestIoctl.MSG_VERSION;
        io.req_data = com.sun.jna.Pointer.nativeValue(req.getPointer());
        io.resp_data = com.sun.jna.Pointer.nativeValue(resp.getPointer());
        io.write();
        try {
            libc.ioctl(fd, new NativeLong(request), io.getPointer());
        } catch (LastErrorException e) {
            io.read();
            req.read();
            throw new SevGuestException(name + " on " + path + " failed (errno " + e.getErrorCode() + ")",
                    io.exitinfo2 != 0 ? new FirmwareError(io.exitinfo2) : null);
        }
        req.read();
        resp.read();
    }

    @Override
    public void close() {
        try {
            libc.close(fd);
        } catch (LastErrorException e) {
            throw new SevGuestException("close " + path + " failed (errno " + e.getErrorCode() + ")", e);
        }
    }
}
