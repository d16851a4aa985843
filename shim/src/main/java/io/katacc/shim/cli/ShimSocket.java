package io.katacc.shim.cli;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The shim's ttrpc socket, named like containerd's shims name theirs: {@code <dir>/<sha256(address/ns/group)>},
 * so one pod always maps to one socket and a second {@code start} finds the first shim.
 */
public record ShimSocket(Path path) {
    public static final Path DEFAULT_DIR = Path.of("/run/containerd/s");
    public static final String DIR_ENV = "KATA_CC_SHIM_SOCKET_DIR";

    public static ShimSocket forGroup(Path dir, String containerdAddress, String namespace, String groupId) {
        String key = containerdAddress + "/" + namespace + "/" + groupId;
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return new ShimSocket(dir.resolve(HexFormat.of().formatHex(d)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ShimSocket parse(String address) {
        if (!address.startsWith("unix://")) {
            throw new IllegalArgumentException("shim address must be unix://<path>, got " + address);
        }
        return new ShimSocket(Path.of(address.substring("unix://".length())));
    }

    public String address() {
        return "unix://" + path;
    }

    /** True when a server accepts connections on the socket (a stale socket file is not alive). */
    public boolean alive() {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
