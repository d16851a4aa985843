package io.katacc.verity.dm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Encodes struct dm_ioctl / dm_target_spec (linux/dm-ioctl.h, interface version 4). */
public final class DmIoctl {
    public static final int HEADER_SIZE = 312;
    public static final int TARGET_SPEC_SIZE = 40;
    public static final int NAME_LEN = 128;
    public static final int UUID_LEN = 129;

    public static final int CMD_VERSION = 0;
    public static final int CMD_DEV_CREATE = 3;
    public static final int CMD_DEV_REMOVE = 4;
    public static final int CMD_DEV_SUSPEND = 6;
    public static final int CMD_TABLE_LOAD = 9;

    public static final int FLAG_READONLY = 1;
    public static final int FLAG_SUSPEND = 1 << 1;

    private DmIoctl() {
    }

    /** _IOWR(0xfd, cmd, struct dm_ioctl). */
    public static long requestCode(int cmd) {
        return (3L << 30) | ((long) HEADER_SIZE << 16) | (0xfdL << 8) | cmd;
    }

    /** A request buffer: header plus optional payload (a target spec and its params). */
    public static ByteBuffer request(String name, int flags, byte[] payload, int targetCount, int bufferSize) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        if (n.length == 0 || n.length >= NAME_LEN || name.contains("/")) {
            throw new IllegalArgumentException("device-mapper name must be 1.." + (NAME_LEN - 1)
                    + " ASCII characters without '/': " + name);
        }
        int size = Math.max(bufferSize, HEADER_SIZE + payload.length);
        ByteBuffer b = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
        b.putInt(0, 4).putInt(4, 0).putInt(8, 0);
        b.putInt(12, size);
        b.putInt(16, HEADER_SIZE);
        b.putInt(20, targetCount);
        b.putInt(28, flags);
        b.put(48, n);
        b.put(HEADER_SIZE, payload);
        return b;
    }

    /** One dm_target_spec followed by its NUL-terminated params, padded to 8 bytes. */
    public static byte[] targetSpec(long startSector, long lengthSectors, String type, String params) {
        byte[] p = params.getBytes(StandardCharsets.US_ASCII);
        int len = (TARGET_SPEC_SIZE + p.length + 1 + 7) & ~7;
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
        b.putLong(startSector).putLong(lengthSectors).putInt(0).putInt(0);
        b.put(type.getBytes(StandardCharsets.US_ASCII));
        b.position(TARGET_SPEC_SIZE).put(p);
        return b.array();
    }

    /** dm_ioctl.dev of a reply, as (major, minor) via the kernel's huge_encode_dev layout. */
    public static int[] replyDevice(ByteBuffer reply) {
        long dev = reply.getLong(40);
        int major = (int) ((dev & 0xfff00) >>> 8);
        int minor = (int) ((dev & 0xff) | ((dev >>> 12) & 0xfff00));
        return new int[] {major, minor};
    }
}
