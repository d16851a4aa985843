package io.katacc.ttrpc.server;

import io.katacc.ttrpc.transport.Address;
import io.katacc.ttrpc.transport.Transport;
import io.katacc.ttrpc.wire.FrameDecoder;
import io.katacc.ttrpc.wire.FrameEncoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A ttrpc server: accepts connections on one {@link Address} and serves a {@link ServiceRegistry}. Each call
 * runs on its own virtual thread; the event loop only does framing.
 */
public final class TtrpcServer implements AutoCloseable {
    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

    private final EventLoopGroup group;
    private final Transport.Listener listener;
    private final Set<ServerSession> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private TtrpcServer(EventLoopGroup group, Address address, ServiceRegistry registry) throws IOException {
        this.group = group;
        this.listener = Transport.bind(address, group, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ServerSession session = new ServerSession(registry);
                ch.pipeline().addLast(new FrameDecoder(), FrameEncoder.INSTANCE, session);
                sessions.add(session);
                ch.closeFuture().addListener(f -> sessions.remove(session));
                if (closed) {
                    ch.close();
                }
            }
        });
    }

    public static TtrpcServer start(Address address, ServiceRegistry registry) throws IOException {
        EventLoopGroup group = Transport.newEventLoopGroup(address, 1, "ttrpc-server");
        try {
            return new TtrpcServer(group, address, registry);
        } catch (IOException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    public Address address() {
        return listener.address();
    }

    public int connectionCount() {
        return sessions.size();
    }

    /**
     * Stops accepting connections and calls, lets in-flight calls answer for up to {@code grace}, then closes
     * every connection (cancelling handlers still running).
     */
    public void shutdown(Duration grace) {
        if (closed) {
            return;
        }
        closed = true;
        listener.close();
        CompletableFuture<?>[] drains = sessions.stream().map(ServerSession::drain).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(drains).get(grace.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // grace period over: fall through and cut the remaining calls
        }
        for (ServerSession session : sessions) {
            session.channel().close().awaitUninterruptibly();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    @Override
    public void close() {
        shutdown(DEFAULT_GRACE);
    }
}
