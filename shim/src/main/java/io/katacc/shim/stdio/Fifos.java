package io.katacc.shim.stdio;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.nio.file.Path;

/** The one FIFO open the JDK cannot do: read-only and non-blocking (it returns at once, writer or not). */
final class Fifos {
    private static final int O_RDONLY = 0;
    private static final int O_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;

    interface LibC extends Library {
        int open(String path, int flags);

        int close(int fd);
    }

    private static final class Holder {
        static final LibC LIBC = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
    }

    private Fifos() {
    }

    /** A read-only descriptor of {@code fifo}, or -1 if it cannot be opened. */
    static int openReadNonBlocking(Path fifo) {
        return Holder.LIBC.open(fifo.toString(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    }

    static void close(int fd) {
        if (fd >= 0) {
            Holder.LIBC.close(fd);
        }
    }
}
