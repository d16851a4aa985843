package io.katacc.ttrpc.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One ttrpc frame: 10-byte header (length, stream id, type, flags) plus payload. Reference counted through
 * its payload, so netty releases frames that nobody consumed.
 */
public final class Frame extends DefaultByteBufHolder implements Inbound {
    public static final int HEADER_LENGTH = 10;
    /** containerd/ttrpc messageLengthMax: 4 MiB of payload. */
    public static final int MAX_PAYLOAD = 4 << 20;

    public static final byte TYPE_REQUEST = 0x1;
    public static final byte TYPE_RESPONSE = 0x2;
    public static final byte TYPE_DATA = 0x3;

    public static final byte FLAG_REMOTE_CLOSED = 0x1;
    public static final byte FLAG_REMOTE_OPEN = 0x2;
    public static final byte FLAG_NO_DATA = 0x4;

    private final int streamId;
    private final byte type;
    private final byte flags;

    public Frame(int streamId, byte type, byte flags, ByteBuf payload) {
        super(payload);
        this.streamId = streamId;
        this.type = type;
        this.flags = flags;
    }

    @Override
    public int streamId() {
        return streamId;
    }

    public byte type() {
        return type;
    }

    public byte flags() {
        return flags;
    }

    public boolean hasFlag(byte flag) {
        return (flags & flag) != 0;
    }

    public static boolean isKnownType(byte type) {
        return type == TYPE_REQUEST || type == TYPE_RESPONSE || type == TYPE_DATA;
    }

    @Override
    public String toString() {
        return "Frame[stream=" + Integer.toUnsignedString(streamId) + ", type=" + type + ", flags=" + flags
                + ", length=" + content().readableBytes() + "]";
    }
}
