package io.katacc.ttrpc.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.Promise;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Cloud Hypervisor hybrid vsock: after connecting the VM's unix socket, send {@code CONNECT <port>\n} and
 * expect {@code OK <host port>\n}; then the socket carries the guest stream and this handler steps aside.
 */
final class HybridVsockHandshake extends ByteToMessageDecoder {
    private static final int MAX_REPLY = 64;

    private final int port;
    private final Promise<Void> done;

    HybridVsockHandshake(int port, Promise<Void> done) {
        this.port = port;
        this.done = done;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ctx.writeAndFlush(Unpooled.copiedBuffer("CONNECT " + Integer.toUnsignedString(port) + "\n",
                StandardCharsets.US_ASCII));
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int newline = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (newline < 0) {
            if (in.readableBytes() > MAX_REPLY) {
                fail(ctx, "no newline in the first " + MAX_REPLY + " bytes of the reply");
            }
            return;
        }
        String line = in.readCharSequence(newline - in.readerIndex(), StandardCharsets.US_ASCII).toString();
        in.skipBytes(1);
        if (line.startsWith("OK ")) {
            // Removing a ByteToMessageDecoder passes any bytes read past the newline on to the frame decoder.
            ctx.pipeline().remove(this);
            done.trySuccess(null);
        } else {
            fail(ctx, "expected 'OK <port>', got '" + line + "'");
        }
    }

    private void fail(ChannelHandlerContext ctx, String why) {
        done.tryFailure(new IOException("hybrid vsock handshake for port " + Integer.toUnsignedString(port)
                + " failed: " + why));
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        done.tryFailure(new IOException("hybrid vsock socket closed during the CONNECT handshake for port "
                + Integer.toUnsignedString(port)));
        super.channelInactive(ctx);
    }
}
