package io.katacc.ttrpc.wire;

import io.katacc.ttrpc.status.Code;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The codec on good and malformed input; every buffer must end with refCnt 0 (leak detector is PARANOID). */
class FrameCodecTest {
    final List<ByteBuf> inputs = new ArrayList<>();

    ByteBuf header(long length, int stream, int type, int flags) {
        ByteBuf b = Unpooled.buffer();
        b.writeInt((int) length).writeInt(stream).writeByte(type).writeByte(flags);
        inputs.add(b);
        return b;
    }

    void assertAllReleased() {
        for (ByteBuf b : inputs) {
            assertEquals(0, b.refCnt(), "input buffer leaked");
        }
    }

    @Test
    void encodesHeaderBigEndianAndDecodesBack() {
        EmbeddedChannel out = new EmbeddedChannel(FrameEncoder.INSTANCE);
        out.writeOutbound(new Frame(7, Frame.TYPE_DATA, Frame.FLAG_REMOTE_CLOSED, Unpooled.wrappedBuffer(new byte[]{1, 2, 3})));
        ByteBuf header = out.readOutbound();
        ByteBuf payload = out.readOutbound();
        byte[] h = new byte[10];
        header.readBytes(h);
        assertEquals("00000003000000070301", java.util.HexFormat.of().formatHex(h));
        EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder());
        in.writeInbound(Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(h), payload));
        header.release();
        Frame f = in.readInbound();
        assertEquals(7, f.streamId());
        assertEquals(Frame.TYPE_DATA, f.type());
        assertTrue(f.hasFlag(Frame.FLAG_REMOTE_CLOSED));
        assertEquals(3, f.content().readableBytes());
        f.release();
        assertEquals(0, payload.refCnt());
        assertTrue(!in.finish());
    }

    @Test
    void frameSplitAcrossReadsIsReassembled() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder());
        ByteBuf all = header(4, 1, 1, 0).writeBytes(new byte[]{9, 8, 7, 6});
        ByteBuf first = all.readRetainedSlice(5);
        ByteBuf rest = all.readRetainedSlice(all.readableBytes());
        all.release();
        ch.writeInbound(first);
        assertNull(ch.readInbound());
        ch.writeInbound(rest);
        Frame f = ch.readInbound();
        assertEquals(4, f.content().readableBytes());
        f.release();
        ch.finishAndReleaseAll();
        assertAllReleased();
    }

    @Test
    void truncatedHeaderAtCloseIsACleanError() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder());
        ByteBuf partial = Unpooled.buffer().writeBytes(new byte[]{0, 0, 0, 5});
        inputs.add(partial);
        ch.writeInbound(partial);
        TruncatedFrameException e = assertThrows(TruncatedFrameException.class, ch::finish);
        assertEquals("connection closed mid-frame: got 4 of 10 header bytes", e.getMessage());
        ch.finishAndReleaseAll();
        assertAllReleased();
    }

    @Test
    void truncatedPayloadAtCloseIsACleanError() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder());
        ch.writeInbound(header(100, 1, 1, 0).writeBytes(new byte[30]));
        TruncatedFrameException e = assertThrows(TruncatedFrameException.class, ch::finish);
        assertEquals("connection closed mid-frame: got 30 of 100 payload bytes", e.getMessage());
        ch.finishAndReleaseAll();
        assertAllReleased();
    }

    @Test
    void lengthOverLimitIsSkippedAndTheNextFrameStillDecodes() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(16));
        ch.writeInbound(header(20, 3, 1, 0).writeBytes(new byte[12]));   // 8 payload bytes still to come
        RejectedFrame r = ch.readInbound();
        assertEquals(3, r.streamId());
        assertEquals(Code.RESOURCE_EXHAUSTED, r.code());
        assertEquals("message length 20 exceeds maximum message size of 16", r.reason());
        ch.writeInbound(Unpooled.buffer().writeBytes(new byte[8]));
        ch.writeInbound(header(2, 5, 1, 0).writeBytes(new byte[]{1, 2}));
        Frame next = ch.readInbound();
        assertEquals(5, next.streamId());
        assertEquals(2, next.content().readableBytes());
        next.release();
        assertTrue(!ch.finish());
        assertAllReleased();
    }

    @Test
    void hugeDeclaredLengthDoesNotAllocate() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder());
        ch.writeInbound(header(0xFFFFFFFFL, 1, 1, 0));
        RejectedFrame r = ch.readInbound();
        assertEquals("message length 4294967295 exceeds maximum message size of 4194304", r.reason());
        assertThrows(TruncatedFrameException.class, ch::finish);
        assertAllReleased();
    }

    @Test
    void unknownTypeIsRejectedAndSkipped() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder());
        ch.writeInbound(header(3, 9, 0x7f, 0).writeBytes(new byte[3]));
        ch.writeInbound(header(0, 11, 2, 0));
        RejectedFrame r = ch.readInbound();
        assertEquals(Code.INVALID_ARGUMENT, r.code());
        assertEquals("unknown message type 0x7f", r.reason());
        Frame f = ch.readInbound();
        assertEquals(11, f.streamId());
        f.release();
        assertTrue(!ch.finish());
        assertAllReleased();
    }

    @Test
    void decodedFrameIsReferenceCountedWithTheInput() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder());
        ByteBuf in = header(1, 1, 1, 0).writeByte(42);
        ch.writeInbound(in);
        Frame f = assertInstanceOf(Frame.class, ch.readInbound());
        assertEquals(1, in.refCnt(), "frame must hold the input until released");
        f.release();
        assertAllReleased();
    }
}
