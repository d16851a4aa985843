package io.katacc.snp.device;

/** ioctl numbers of /dev/sev-guest: _IOWR('S', nr, struct snp_guest_request_ioctl). */
public final class SevGuestIoctl {
    private SevGuestIoctl() {
    }

    public static final int TYPE = 'S';
    public static final int REQUEST_STRUCT_SIZE = 32;
    public static final long SNP_GET_REPORT = iowr(TYPE, 0x0, REQUEST_STRUCT_SIZE);
    public static final long SNP_GET_DERIVED_KEY = iowr(TYPE, 0x1, REQUEST_STRUCT_SIZE);
    public static final long SNP_GET_EXT_REPORT = iowr(TYPE, 0x2, REQUEST_STRUCT_SIZE);
    /** msg_version the kernel accepts for guest requests. */
    public static final byte MSG_VERSION = 1;

    /** Linux asm-generic/ioctl.h encoding: dir(2) | size(14) | type(8) | nr(8). */
    static long iowr(int type, int nr, int size) {
        long read = 2;
        long write = 1;
        return (read | write) << 30 | (long) size << 16 | (long) type << 8 | nr;
    }
}
