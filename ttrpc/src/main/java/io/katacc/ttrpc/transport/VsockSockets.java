package io.katacc.ttrpc.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.epoll.VSockAddress;

import java.io.IOException;
import java.time.Duration;

/**
 * AF_VSOCK through netty's native epoll. Netty has the socket calls (LinuxSocket) but no vsock channel
 * class, so we connect/listen the raw socket ourselves and hand the fd to the stream channel classes,
 * which only read and write it.
 */
final class VsockSockets {
    private static final int BACKLOG = 128;

    private VsockSockets() {
    }

    static Channel connect(VsockAddress address, EventLoopGroup group, ChannelHandler initializer, Duration timeout)
            throws IOException {
        LinuxSocket socket = LinuxSocket.newVSockStream();
        try {
            VSockAddress target = new VSockAddress(address.cid(), address.port());
            long deadline = System.nanoTime() + timeout.toNanos();
            boolean connected = socket.connectVSock(target);
            while (!connected) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("timed out after " + timeout + " connecting to " + address);
                }
                Thread.sleep(1);
                // finishConnect() throws if the connect failed, but reports true while it is still in
                // progress (SO_ERROR is 0 then); getpeername() only succeeds once connected.
                socket.finishConnect();
                connected = socket.remoteVSockAddress() != null;
            }
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw new IOException("cannot connect to " + address + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            socket.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + address, e);
        }
        int fd = socket.intValue();
        return Transport.await(address, new Bootstrap().group(group)
                .channelFactory(() -> new EpollDomainSocketChannel(fd)).handler(initializer).register(), timeout);
    }

    static Channel bind(VsockAddress address, EventLoopGroup group, ChannelHandler childInitializer)
            throws IOException {
        LinuxSocket socket = LinuxSocket.newVSockStream();
        try {
            socket.bindVSock(new VSockAddress(address.cid(), address.port()));
            socket.listen(BACKLOG);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw new IOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
        int fd = socket.intValue();
        return Transport.await(address, new ServerBootstrap().group(group)
                .channelFactory(() -> new EpollServerDomainSocketChannel(fd)).childHandler(childInitializer)
                .register(), Duration.ofSeconds(30));
    }
}
