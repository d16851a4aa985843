package io.katacc.ttrpc.transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.io.IOException;

/**
 * Bridges a netty channel to a blocking InputStream/OutputStream pair. Reads happen on a dedicated platform
 * thread: a read on a character device blocks in the kernel for as long as the peer is quiet, and on a
 * virtual thread that would hold the only carrier of a 1-vCPU guest; writes happen on this channel's own
 * event loop (it serves nothing else).
 */
final class StreamPump extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(StreamPump.class);

    private final String name;
    private final ByteStreamAddress.Streams streams;

    StreamPump(String name, ByteStreamAddress.Streams streams) {
        this.name = name;
        this.streams = streams;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Thread.ofPlatform().daemon().name("ttrpc-stream-reader " + name).start(() -> pumpIn(ctx));
        ctx.fireChannelActive();
    }

    private void pumpIn(ChannelHandlerContext ctx) {
        byte[] buf = new byte[64 * 1024];
        try {
            int n;
            while ((n = streams.in().read(buf)) >= 0) {
                if (n > 0) {
                    ChannelFuture write = ctx.writeAndFlush(Unpooled.copiedBuffer(buf, 0, n));
                    if (!ctx.channel().isWritable()) {
                        write.awaitUninterruptibly();
                    }
                }
                if (!ctx.channel().isActive()) {
                    return;
                }
            }
        } catch (IOException e) {
            if (ctx.channel().isActive()) {
                LOG.warn("reading " + name + " failed: " + e.getMessage());
            }
        } finally {
            ctx.close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            buf.readBytes(streams.out(), buf.readableBytes());
            streams.out().flush();
        } catch (IOException e) {
            LOG.warn("writing " + name + " failed: " + e.getMessage());
            ctx.close();
        } finally {
            buf.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeQuietly();
        ctx.fireChannelInactive();
    }

    private void closeQuietly() {
        try {
            streams.out().close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            streams.in().close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
