package io.katacc.shim.sandbox;

import io.katacc.ttrpc.transport.Address;
import io.katacc.ttrpc.transport.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the guest agent's log channel and writes each line to the shim's log under the logger {@code agent}
 * (printed as is: the lines already say {@code source=agent}), so they land in containerd's log. Dials until
 * the guest end is there, and again if it goes away, until closed.
 */
final class AgentLogRelay implements AutoCloseable {
    private static final Logger AGENT = LoggerFactory.getLogger("agent");
    private static final Logger LOG = LoggerFactory.getLogger(AgentLogRelay.class);
    private static final int MAX_LINE = 64 << 10;

    private final Address address;
    private final EventLoopGroup group;
    private final Thread dialer;
    private volatile boolean closed;
    private volatile Channel channel;

    private AgentLogRelay(Address address) {
        this.address = address;
        this.group = Transport.newEventLoopGroup(address, 1, "agent-log");
        this.dialer = Thread.ofVirtual().name("agent-log-dialer").start(this::dial);
    }

    static AgentLogRelay start(Address address) {
        return new AgentLogRelay(address);
    }

    private void dial() {
        while (!closed) {
            try {
                Channel ch = Transport.connect(address, group, new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel c) {
                        c.pipeline().addLast(new LineBasedFrameDecoder(MAX_LINE, true, false),
                                new StringDecoder(StandardCharsets.UTF_8), new SimpleChannelInboundHandler<String>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, String line) {
                                        AGENT.info(line);
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        LOG.debug("agent log channel: {}", cause.getMessage());
                                        ctx.close();
                                    }
                                });
                    }
                }, Duration.ofSeconds(5));
                channel = ch;
                ch.closeFuture().await();
            } catch (java.io.IOException e) {
                LOG.debug("agent log channel {} not there yet: {}", address, e.getMessage());
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        dialer.interrupt();
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }
}
