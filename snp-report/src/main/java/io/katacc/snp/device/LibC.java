package io.katacc.snp.device;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/** The three libc calls the device needs; errors surface as LastErrorException carrying errno. */
interface LibC extends Library {
    int O_RDWR = 2;
    int O_CLOEXEC = 0x80000;
    int EIO = 5;

    int open(String path, int flags) throws LastErrorException;

    int ioctl(int fd, NativeLong request, Pointer arg) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    static LibC load() {
        return Native.load("c", LibC.class);
    }
}
