package io.katacc.ttrpc.server;

import com.google.protobuf.StringValue;
import io.katacc.ttrpc.proto.Request;
import io.katacc.ttrpc.proto.Response;
import io.katacc.ttrpc.status.Code;
import io.katacc.ttrpc.wire.Frame;
import io.katacc.ttrpc.wire.FrameDecoder;
import io.katacc.ttrpc.wire.FrameEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Server session fed raw bytes: garbage protobuf, even stream ids and oversized frames get a clean status. */
class MalformedRequestTest {
    final EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(), FrameEncoder.INSTANCE,
            new ServerSession(new ServiceRegistry().unary("s", "m", StringValue.parser(), (r, c) -> r)));

    ByteBuf frame(int stream, byte type, byte[] payload) {
        return Unpooled.buffer().writeInt(payload.length).writeInt(stream).writeByte(type).writeByte(0).writeBytes(payload);
    }

    Response response(int expectedStream) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        ByteBuf header;
        while ((header = ch.readOutbound()) == null && System.nanoTime() < until) {
            Thread.sleep(5);
            ch.runPendingTasks();
        }
        ByteBuf payload = ch.readOutbound();
        try {
            assertEquals(expectedStream, header.getInt(4));
            assertEquals(Frame.TYPE_RESPONSE, header.getByte(8));
            return Response.parseFrom(payload.nioBuffer());
        } finally {
            header.release();
            payload.release();
        }
    }

    @Test
    void garbageProtobufIsInvalidArgument() throws Exception {
        ch.writeInbound(frame(1, Frame.TYPE_REQUEST, new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff}));
        Response r = response(1);
        assertEquals(Code.INVALID_ARGUMENT.value(), r.getStatus().getCode());
        assertTrue(r.getStatus().getMessage().startsWith("unmarshal request error"), r.getStatus().getMessage());
        assertTrue(ch.isActive());
        ch.finishAndReleaseAll();
    }

    @Test
    void garbageInnerPayloadIsInvalidArgument() throws Exception {
        byte[] req = Request.newBuilder().setService("s").setMethod("m")
                .setPayload(com.google.protobuf.ByteString.copyFrom(new byte[]{0x0a, 0x7f})).build().toByteArray();
        ch.writeInbound(frame(3, Frame.TYPE_REQUEST, req));
        Response r = response(3);
        assertEquals(Code.INVALID_ARGUMENT.value(), r.getStatus().getCode());
        assertTrue(r.getStatus().getMessage().startsWith("unmarshal request payload"), r.getStatus().getMessage());
        ch.finishAndReleaseAll();
    }

    @Test
    void evenStreamIdIsRejected() throws Exception {
        byte[] req = Request.newBuilder().setService("s").setMethod("m").build().toByteArray();
        ch.writeInbound(frame(2, Frame.TYPE_REQUEST, req));
        Response r = response(2);
        assertEquals(Code.INVALID_ARGUMENT.value(), r.getStatus().getCode());
        assertEquals("stream id 2 must be odd for client-initiated streams", r.getStatus().getMessage());
        ch.finishAndReleaseAll();
    }

    @Test
    void oversizedRequestIsResourceExhaustedThenServiceContinues() throws Exception {
        ByteBuf big = Unpooled.buffer().writeInt(Frame.MAX_PAYLOAD + 1).writeInt(5).writeByte(1).writeByte(0)
                .writeBytes(new byte[Frame.MAX_PAYLOAD + 1]);
        ch.writeInbound(big);
        Response r = response(5);
        assertEquals(Code.RESOURCE_EXHAUSTED.value(), r.getStatus().getCode());
        byte[] ok = Request.newBuilder().setService("s").setMethod("m")
                .setPayload(StringValue.of("fine").toByteString()).build().toByteArray();
        ch.writeInbound(frame(7, Frame.TYPE_REQUEST, ok));
        Response r2 = response(7);
        assertEquals(0, r2.getStatus().getCode());
        assertEquals("fine", StringValue.parseFrom(r2.getPayload()).getValue());
        assertEquals(0, big.refCnt());
        ch.finishAndReleaseAll();
    }
}
