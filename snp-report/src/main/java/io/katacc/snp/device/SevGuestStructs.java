package io.katacc.snp.device;

import com.sun.jna.Structure;

/**
 * The request/response structs of include/uapi/linux/sev-guest.h, laid out by JNA with the
 * native C alignment rules (SevGuestStructsLayoutTest pins the sizes and offsets to the UAPI).
 */
public final class SevGuestStructs {
    private SevGuestStructs() {
    }

    /** struct snp_report_req { __u8 user_data[64]; __u32 vmpl; __u8 rsvd[28]; } — 96 bytes. */
    @Structure.FieldOrder({"user_data", "vmpl", "rsvd"})
    public static class SnpReportReq extends Structure {
        public byte[] user_data = new byte[64];
        public int vmpl;
        public byte[] rsvd = new byte[28];
    }

    /** struct snp_report_resp { __u8 data[4000]; }. */
    @Structure.FieldOrder({"data"})
    public static class SnpReportResp extends Structure {
        public byte[] data = new byte[4000];
    }

    /**
     * struct snp_derived_key_req { __u32 root_key_select; __u32 rsvd; __u64 guest_field_select;
     * __u32 vmpl; __u32 guest_svn; __u64 tcb_version; } — 32 bytes.
     */
    @Structure.FieldOrder({"root_key_select", "rsvd", "guest_field_select", "vmpl", "guest_svn", "tcb_version"})
    public static class SnpDerivedKeyReq extends Structure {
        public int root_key_select;
        public int rsvd;
        public long guest_field_select;
        public int vmpl;
        public int guest_svn;
        public long tcb_version;
    }

    /** struct snp_derived_key_resp { __u8 data[64]; }. */
    @Structure.FieldOrder({"data"})
    public static class SnpDerivedKeyResp extends Structure {
        public byte[] data = new byte[64];
    }

    /**
     * struct snp_guest_request_ioctl { __u8 msg_version; __u64 req_data; __u64 resp_data;
     * union { __u64 exitinfo2; struct { __u32 fw_error; __u32 vmm_error; }; }; } — 32 bytes.
     */
    @Structure.FieldOrder({"msg_version", "req_data", "resp_data", "exitinfo2"})
    public static class SnpGuestRequestIoctl extends Structure {
        public byte msg_version;
        public long req_data;
        public long resp_data;
        public long exitinfo2;
    }

    /** struct snp_ext_report_req { struct snp_report_req data; __u64 certs_address; __u32 certs_len; } — 112 bytes. */
    @Structure.FieldOrder({"data", "certs_address", "certs_len"})
    public static class SnpExtReportReq extends Structure {
        public SnpReportReq data = new SnpReportReq();
        public long certs_address;
        public int certs_len;
    }

    /** Public offset lookup for layout tests (Structure.fieldOffset is protected). */
    public static int offsetOf(Structure s, String field) {
        return new OffsetProbe(s).offset(field);
    }

    private static final class OffsetProbe {
        private final Structure s;

        OffsetProbe(Structure s) {
            this.s = s;
        }

        int offset(String field) {
            try {
                var m = Structure.class.getDeclaredMethod("fieldOffset", String.class);
                m.setAccessible(true);
                return (Integer) m.invoke(s, field);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("JNA Structure.fieldOffset unavailable", e);
            }
        }
    }
}
