package io.katacc.ttrpc.transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Promise;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;

/** Opens client connections and server listeners for every kind of {@link Address}. */
public final class Transport {
    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);
    private static final Duration REOPEN_DELAY = Duration.ofMillis(100);

    private Transport() {
    }

    /** An event loop group able to drive channels of this address kind. */
    public static EventLoopGroup newEventLoopGroup(Address address, int threads, String name) {
        IoHandlerFactory factory;
        if (address instanceof ByteStreamAddress) {
            factory = LocalIoHandler.newFactory();
        } else {
            requireEpoll();
            factory = EpollIoHandler.newFactory();
        }
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
    }

    private static void requireEpoll() {
        if (!Epoll.isAvailable()) {
            throw new UnsupportedOperationException("ttrpc needs netty's native epoll transport (Linux x86_64): "
                    + Epoll.unavailabilityCause());
        }
    }

    /** Connects and returns an active channel whose pipeline was set up by {@code initializer}. */
    public static Channel connect(Address address, EventLoopGroup group, ChannelHandler initializer, Duration timeout)
            throws IOException {
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        return switch (address) {
            case UnixAddress unix -> await(address, new Bootstrap().group(group).channel(EpollDomainSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis).handler(initializer)
                    .connect(new DomainSocketAddress(unix.path())), timeout);
            case HybridVsockAddress hv -> connectHybrid(hv, group, initializer, timeout, timeoutMillis);
            case VsockAddress vsock -> VsockSockets.connect(vsock, group, initializer, timeout);
            case ByteStreamAddress stream -> connectStream(stream, group, initializer, timeout);
        };
    }

    private static Channel connectHybrid(HybridVsockAddress hv, EventLoopGroup group, ChannelHandler initializer,
                                         Duration timeout, int timeoutMillis) throws IOException {
        Promise<Void> handshake = group.next().newPromise();
        Channel channel = await(hv, new Bootstrap().group(group).channel(EpollDomainSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
                .handler(new io.netty.channel.ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HybridVsockHandshake(hv.port(), handshake), initializer);
                    }
                })
                .connect(new DomainSocketAddress(hv.socketPath())), timeout);
        try {
            if (!handshake.await(timeout.toMillis())) {
                channel.close();
                throw new IOException("hybrid vsock handshake with " + hv + " timed out after " + timeout);
            }
        } catch (InterruptedException e) {
            channel.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + hv, e);
        }
        if (!handshake.isSuccess()) {
            channel.close();
            throw new IOException(handshake.cause().getMessage(), handshake.cause());
        }
        return channel;
    }

    private static Channel connectStream(ByteStreamAddress stream, EventLoopGroup group, ChannelHandler initializer,
                                         Duration timeout) throws IOException {
        // The ttrpc side talks to an in-process peer channel whose only job is pumping the streams.
        ByteStreamAddress.Streams streams = stream.opener().open();
        LocalAddress bridge = new LocalAddress("ttrpc-stream-" + UUID.randomUUID());
        Channel bridgeServer = await(stream, new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                .childHandler(new StreamPump(stream.description(), streams)).bind(bridge), timeout);
        try {
            Channel channel = await(stream, new Bootstrap().group(group).channel(LocalChannel.class)
                    .handler(initializer).connect(bridge), timeout);
            channel.closeFuture().addListener(f -> bridgeServer.close());
            return channel;
        } catch (IOException | RuntimeException e) {
            bridgeServer.close();
            throw e;
        }
    }

    /** Listens on {@code address}; every accepted connection gets {@code childInitializer}. */
    public static Listener bind(Address address, EventLoopGroup group, ChannelHandler childInitializer)
            throws IOException {
        Duration bindTimeout = Duration.ofSeconds(30);
        return switch (address) {
            case UnixAddress unix -> {
                Channel ch = await(address, new ServerBootstrap().group(group)
                        .channel(EpollServerDomainSocketChannel.class).childHandler(childInitializer)
                        .bind(new DomainSocketAddress(unix.path())), bindTimeout);
                yield new Listener(address, ch);
            }
            case VsockAddress vsock -> new Listener(address, VsockSockets.bind(vsock, group, childInitializer));
            case HybridVsockAddress hv -> throw new UnsupportedOperationException("cannot listen on " + hv
                    + ": hybrid vsock is the host's client side; the guest listens on vsock://CID:PORT");
            case ByteStreamAddress stream -> bindStream(stream, group, childInitializer, bindTimeout);
        };
    }

    private static Listener bindStream(ByteStreamAddress stream, EventLoopGroup group, ChannelHandler childInitializer,
                                       Duration timeout) throws IOException {
        LocalAddress local = new LocalAddress("ttrpc-stream-" + UUID.randomUUID());
        Channel server = await(stream, new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                .childHandler(childInitializer).bind(local), timeout);
        Channel first;
        try {
            first = pump(stream, group, local, timeout);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        // A serial port outlives its peer (the host may reconnect): reopen it each time the stream ends.
        Thread.ofVirtual().name("ttrpc-stream-reopen " + stream.description()).start(() -> {
            Channel current = first;
            while (server.isOpen()) {
                current.closeFuture().awaitUninterruptibly();
                if (!server.isOpen()) {
                    return;
                }
                try {
                    Thread.sleep(REOPEN_DELAY.toMillis());
                    if (!server.isOpen() || group.isShuttingDown()) {
                        return;
                    }
                    current = pump(stream, group, local, timeout);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException | RuntimeException e) {
                    LOG.warn("cannot reopen {}: {}", stream.description(), e.getMessage());
                    try {
                        Thread.sleep(REOPEN_DELAY.toMillis() * 10);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        });
        return new Listener(stream, server);
    }

    private static Channel pump(ByteStreamAddress stream, EventLoopGroup group, LocalAddress local, Duration timeout)
            throws IOException {
        ByteStreamAddress.Streams streams = stream.opener().open();
        return await(stream, new Bootstrap().group(group).channel(LocalChannel.class)
                .handler(new StreamPump(stream.description(), streams)).connect(local), timeout);
    }

    static Channel await(Address address, ChannelFuture future, Duration timeout) throws IOException {
        try {
            if (!future.await(timeout.toMillis())) {
                future.cancel(false);
                future.channel().close();
                throw new IOException("timed out after " + timeout + " opening " + address);
            }
        } catch (InterruptedException e) {
            future.channel().close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while opening " + address, e);
        }
        if (!future.isSuccess()) {
            Throwable cause = future.cause();
            throw new IOException("cannot open " + address + ": " + cause.getMessage(), cause);
        }
        return future.channel();
    }

    /** A listening endpoint. Closing it stops accepting; established connections are not touched. */
    public record Listener(Address address, Channel channel) implements AutoCloseable {
        @Override
        public void close() {
            channel.close().awaitUninterruptibly();
        }
    }

}
