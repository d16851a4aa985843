package io.katacc.ttrpc.transport;

import java.nio.file.Path;

/**
 * Where a ttrpc peer lives; the kind of address picks the transport.
 * <ul>
 *   <li>{@code unix:///run/x.sock} - unix domain socket</li>
 *   <li>{@code vsock://CID:PORT} - AF_VSOCK</li>
 *   <li>{@code hvsock:///run/vm/ch.vsock:PORT} - Cloud Hypervisor hybrid vsock (unix socket + CONNECT handshake)</li>
 *   <li>{@code serial:///dev/virtio-ports/agent.channel.0} - a byte stream over a character device; or any
 *       InputStream/OutputStream pair through {@link ByteStreamAddress#of}</li>
 * </ul>
 */
public sealed interface Address permits UnixAddress, VsockAddress, HybridVsockAddress, ByteStreamAddress {

    static Address parse(String text) {
        int sep = text.indexOf("://");
        if (sep < 0) {
            throw new IllegalArgumentException("ttrpc address '" + text
                    + "' has no scheme; expected unix://, vsock://, hvsock:// or serial://");
        }
        String scheme = text.substring(0, sep);
        String rest = text.substring(sep + 3);
        return switch (scheme) {
            case "unix" -> new UnixAddress(requireAbsolute(text, rest));
            case "vsock" -> parseVsock(text, rest);
            case "hvsock" -> {
                int colon = rest.lastIndexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException("hvsock address '" + text + "' lacks ':PORT' after the socket path");
                }
                yield new HybridVsockAddress(requireAbsolute(text, rest.substring(0, colon)),
                        parsePort(text, rest.substring(colon + 1)));
            }
            case "serial" -> {
                String path = requireAbsolute(text, rest);
                yield ByteStreamAddress.of("serial://" + path,
                        () -> SerialPort.open(Path.of(path)));
            }
            default -> throw new IllegalArgumentException("unsupported ttrpc address scheme '" + scheme + "' in '"
                    + text + "'; expected unix, vsock, hvsock or serial");
        };
    }

    private static VsockAddress parseVsock(String text, String rest) {
        int colon = rest.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("vsock address '" + text + "' must be vsock://CID:PORT");
        }
        try {
            long cid = Long.parseLong(rest.substring(0, colon));
            if (cid < 0 || cid > 0xffffffffL) {
                throw new NumberFormatException();
            }
            return new VsockAddress((int) cid, parsePort(text, rest.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("vsock address '" + text + "' has an invalid CID", e);
        }
    }

    private static int parsePort(String text, String port) {
        try {
            long p = Long.parseLong(port);
            if (p < 0 || p > 0xffffffffL) {
                throw new NumberFormatException();
            }
            return (int) p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("address '" + text + "' has an invalid port '" + port + "'", e);
        }
    }

    private static String requireAbsolute(String text, String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("address '" + text + "' must name an absolute path (three slashes)");
        }
        return path;
    }
}
