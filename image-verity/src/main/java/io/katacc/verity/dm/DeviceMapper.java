package io.katacc.verity.dm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.katacc.verity.hashtree.VerityParams;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * device-mapper through ioctls on /dev/mapper/control (no libdevmapper, no udev): create a device,
 * load one "verity" table, resume it, and make /dev/mapper/NAME; or remove it.
 */
public final class DeviceMapper {
    public static final Path CONTROL = Path.of("/dev/mapper/control");
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    private static final int S_IFBLK = 0060000;

    interface LibC extends Library {
        int open(String path, int flags) throws LastErrorException;

        int close(int fd) throws LastErrorException;

        int ioctl(int fd, long request, Pointer arg) throws LastErrorException;

        int mknod(String path, int mode, long dev) throws LastErrorException;
    }

    private final Path control;

    public DeviceMapper() {
        this(CONTROL);
    }

    DeviceMapper(Path control) {
        this.control = control;
    }

    /** Why device-mapper cannot be used here, or null when it can. */
    public static String unavailableReason() {
        if (!Files.exists(CONTROL)) {
            return CONTROL + " does not exist: this kernel has no device-mapper (CONFIG_BLK_DEV_DM) loaded";
        }
        return null;
    }

    /**
     * Opens {@code device} (data and hashes on the same block device, superblock at params.hashOffset())
     * as a read-only verity mapping named {@code name}. The kernel checks every block it reads against
     * params.rootHash(); on failure the device is removed again.
     */
    public VerityDevice openVerity(String name, String device, VerityParams params) throws IOException {
        if (params.hashOffset() < params.dataBytes()) {
            throw new IllegalArgumentException("hashOffset " + params.hashOffset() + " overlaps the data area of "
                    + params.dataBytes() + " bytes");
        }
        String table = params.tableParams(device, device);
        byte[] spec = DmIoctl.targetSpec(0, params.dataBytes() / 512, "verity", table);
        LibC c = libc();
        int fd = openControl(c);
        try {
            ByteBuffer created = call(c, fd, DmIoctl.CMD_DEV_CREATE, DmIoctl.request(name, 0, new byte[0], 0, 16384),
                    "create " + name);
            try {
                call(c, fd, DmIoctl.CMD_TABLE_LOAD, DmIoctl.request(name, DmIoctl.FLAG_READONLY, spec, 1, 16384),
                        "load verity table for " + name + " (" + table + ")");
                call(c, fd, DmIoctl.CMD_DEV_SUSPEND, DmIoctl.request(name, 0, new byte[0], 0, 16384),
                        "resume " + name);
            } catch (IOException | RuntimeException e) {
                try {
                    call(c, fd, DmIoctl.CMD_DEV_REMOVE, DmIoctl.request(name, 0, new byte[0], 0, 16384), "remove");
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            int[] dev = DmIoctl.replyDevice(created);
            Path node = Path.of("/dev/mapper", name);
            if (!Files.exists(node)) {
                long devt = ((long) (dev[1] & 0xff)) | ((long) dev[0] << 8) | ((long) (dev[1] & ~0xff) << 12);
                try {
                    c.mknod(node.toString(), S_IFBLK | 0400, devt);
                } catch (LastErrorException e) {
                    throw new IOException("mknod " + node + " failed: errno " + e.getErrorCode(), e);
                }
            }
            return new VerityDevice(name, node.toString(), dev[0], dev[1]);
        } finally {
            c.close(fd);
        }
    }

    public void remove(String name) throws IOException {
        LibC c = libc();
        int fd = openControl(c);
        try {
            call(c, fd, DmIoctl.CMD_DEV_REMOVE, DmIoctl.request(name, 0, new byte[0], 0, 16384), "remove " + name);
        } finally {
            c.close(fd);
        }
        Files.deleteIfExists(Path.of("/dev/mapper", name));
    }

    private LibC libc() {
        String why = unavailableReason();
        if (why != null && control.equals(CONTROL)) {
            throw new UnsupportedOperationException(why);
        }
        return Native.load("c", LibC.class);
    }

    private int openControl(LibC c) throws IOException {
        try {
            return c.open(control.toString(), O_RDWR | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException("cannot open " + control + ": errno " + e.getErrorCode(), e);
        }
    }

    private static ByteBuffer call(LibC c, int fd, int cmd, ByteBuffer req, String what) throws IOException {
        try {
            c.ioctl(fd, DmIoctl.requestCode(cmd), Native.getDirectBufferPointer(req));
            return req;
        } catch (LastErrorException e) {
            throw new IOException("device-mapper " + what + " failed: errno " + e.getErrorCode(), e);
        }
    }
}
