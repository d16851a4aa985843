package io.katacc.agent.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.katacc.ttrpc.transport.Address;
import io.katacc.ttrpc.transport.Transport;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's log, line by line, on a channel of its own the shim reads (a virtio-serial port, or a vsock
 * port as Kata's agent.log_vport): the shim puts the lines into containerd's log, so a node admin sees what
 * the agent did without a console. Never blocks logging: while the reader lags, lines are dropped and counted.
 */
public final class LogPort implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogPort.class);

    private final EventLoopGroup group;
    private final Transport.Listener listener;
    private final ChannelGroup readers = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicLong dropped = new AtomicLong();
    private final Appender appender = new Appender();

    private LogPort(Address address) throws IOException {
        group = Transport.newEventLoopGroup(address, 1, "log-port");
        try {
            listener = Transport.bind(address, group, new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    // a reader that stops reading must not grow our memory: past 1 MiB, lines are dropped
                    ch.config().setOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 << 10, 1 << 20));
                    ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            readers.add(ctx.channel());
                            ctx.fireChannelActive();
                        }

                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            io.netty.util.ReferenceCountUtil.release(msg); // the shim has nothing to say
                        }

                        @Override
                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                            ctx.close(); // quietly: logging it would write to this very channel
                        }
                    });
                }
            });
        } catch (IOException | RuntimeException e) {
            group.shutdownGracefully();
            throw e;
        }
    }

    /** Listens on {@code address} and adds an appender for the root logger that writes there too. */
    public static LogPort start(String address) throws IOException {
        LogPort port = new LogPort(Address.parse(address));
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
            PatternLayoutEncoder enc = new PatternLayoutEncoder();
            enc.setContext(ctx);
            // the console's key=value line format, so both say the same
            enc.setPattern("time=%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX,UTC} level=%level source=agent logger=%logger{30} "
                    + "thread=%thread msg=\"%replace(%msg){'\"','\\\\\"'}\"%n");
            enc.start();
            port.appender.encoder = enc;
            port.appender.setContext(ctx);
            port.appender.setName("log-port");
            port.appender.start();
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(port.appender);
        }
        LOG.info("agent log also on {}", address);
        return port;
    }

    private final class Appender extends AppenderBase<ILoggingEvent> {
        PatternLayoutEncoder encoder;

        @Override
        protected void append(ILoggingEvent event) {
            if (readers.isEmpty()) {
                return;
            }
            byte[] line = encoder.encode(event);
            for (Channel c : readers) {
                if (c.isWritable()) {
                    c.writeAndFlush(Unpooled.wrappedBuffer(line), c.voidPromise());
                } else {
                    dropped.incrementAndGet();
                }
            }
        }
    }

    @Override
    public void close() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        }
        appender.stop();
        if (dropped.get() > 0) {
            LOG.info("log port dropped {} lines its reader did not take", dropped.get());
        }
        readers.close();
        listener.close();
        group.shutdownGracefully();
    }
}
