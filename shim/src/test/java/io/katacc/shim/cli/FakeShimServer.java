package io.katacc.shim.cli;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Stands in for the shim server in start tests: serves the -socket it is given and records its flags. */
public final class FakeShimServer {
    public static void main(String[] args) throws Exception {
        ShimFlags f = FlagParser.parse(Arrays.asList(args));
        Path sock = ShimSocket.parse(f.socket().orElseThrow()).path();
        Files.writeString(Path.of("server-args.txt"), String.join(" ", args));
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(sock));
            while (true) {
                s.accept().close();
            }
        }
    }
}
