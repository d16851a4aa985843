package io.katacc.ttrpc.wire;

import io.katacc.ttrpc.status.Code;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Splits the byte stream into frames. An oversized frame is not fatal: like Go ttrpc, its payload is
 * skipped as it arrives and a {@link RejectedFrame} with RESOURCE_EXHAUSTED is emitted, so the connection
 * stays usable. Frames of an unknown type are skipped the same way.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private final int maxPayload;
    private long discarding;

    public FrameDecoder() {
        this(Frame.MAX_PAYLOAD);
    }

    public FrameDecoder(int maxPayload) {
        this.maxPayload = maxPayload;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            if (discarding > 0) {
                int skip = (int) Math.min(discarding, in.readableBytes());
                in.skipBytes(skip);
                discarding -= skip;
                if (discarding > 0) {
                    return;
                }
            }
            if (in.readableBytes() < Frame.HEADER_LENGTH) {
                return;
            }
            int at = in.readerIndex();
            long length = in.getUnsignedInt(at);
            int streamId = in.getInt(at + 4);
            byte type = in.getByte(at + 8);
            byte flags = in.getByte(at + 9);
            if (length > maxPayload) {
                in.skipBytes(Frame.HEADER_LENGTH);
                discarding = length;
                out.add(new RejectedFrame(streamId, type, Code.RESOURCE_EXHAUSTED,
                        "message length " + length + " exceeds maximum message size of " + maxPayload));
                continue;
            }
            if (in.readableBytes() < Frame.HEADER_LENGTH + length) {
                return;
            }
            in.skipBytes(Frame.HEADER_LENGTH);
            if (!Frame.isKnownType(type)) {
                in.skipBytes((int) length);
                out.add(new RejectedFrame(streamId, type, Code.INVALID_ARGUMENT,
                        "unknown message type 0x" + Integer.toHexString(type & 0xff)));
                continue;
            }
            out.add(new Frame(streamId, type, flags, in.readRetainedSlice((int) length)));
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        decode(ctx, in, out);
        if (discarding > 0) {
            long missing = discarding;
            discarding = 0;
            throw new TruncatedFrameException("connection closed with " + missing
                    + " bytes of an oversized frame still unread");
        }
        int left = in.readableBytes();
        if (left > 0) {
            in.skipBytes(left);
            if (left < Frame.HEADER_LENGTH) {
                throw new TruncatedFrameException("connection closed mid-frame: got " + left + " of "
                        + Frame.HEADER_LENGTH + " header bytes");
            }
            throw new TruncatedFrameException("connection closed mid-frame: got " + (left - Frame.HEADER_LENGTH)
                    + " of " + in.getUnsignedInt(in.readerIndex() - left) + " payload bytes");
        }
    }
}
