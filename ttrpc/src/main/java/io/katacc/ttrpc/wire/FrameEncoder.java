package io.katacc.ttrpc.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

import java.util.List;

/** Writes the 10-byte header in front of the frame's payload (no payload copy). */
@ChannelHandler.Sharable
public final class FrameEncoder extends MessageToMessageEncoder<Frame> {
    public static final FrameEncoder INSTANCE = new FrameEncoder();

    private FrameEncoder() {
        super(Frame.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, List<Object> out) {
        ByteBuf payload = frame.content();
        ByteBuf header = ctx.alloc().buffer(Frame.HEADER_LENGTH);
        header.writeInt(payload.readableBytes());
        header.writeInt(frame.streamId());
        header.writeByte(frame.type());
        header.writeByte(frame.flags());
        out.add(header);
        out.add(payload.retain());
    }
}
