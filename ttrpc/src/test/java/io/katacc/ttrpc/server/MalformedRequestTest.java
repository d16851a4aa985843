package io.katacc.ttrpc.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.StringValue;
import io.katacc.ttrpc.TestPaths;
import io.katacc.ttrpc.proto.Request;
import io.katacc.ttrpc.proto.Response;
import io.katacc.ttrpc.status.Code;
import io.katacc.ttrpc.transport.UnixAddress;
import io.katacc.ttrpc.wire.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A raw socket feeds the server bytes no well-behaved client sends: garbage protobuf, even stream ids,
 * oversized and unknown frames. Each gets a clean status (or is skipped) and the connection keeps serving.
 */
class MalformedRequestTest {
    TtrpcServer server;
    UnixAddress address;
    SocketChannel raw;
    DataInputStream in;

    @BeforeEach
    void start() throws IOException {
        address = TestPaths.socket("m.sock");
        server = TtrpcServer.start(address, new ServiceRegistry().unary("s", "m", StringValue.parser(), (r, c) -> r));
        raw = SocketChannel.open(UnixDomainSocketAddress.of(address.path()));
        in = new DataInputStream(Channels.newInputStream(raw));
    }

    @AfterEach
    void stop() throws IOException {
        raw.close();
        server.close();
    }

    void send(int length, int stream, int type, byte[] payload) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(10).putInt(length).putInt(stream).put((byte) type).put((byte) 0).flip();
        while (header.hasRemaining()) {
            raw.write(header);
        }
        ByteBuffer body = ByteBuffer.wrap(payload);
        while (body.hasRemaining()) {
            raw.write(body);
        }
    }

    Response response(int expectedStream) throws IOException {
        int length = in.readInt();
        assertEquals(expectedStream, in.readInt());
        assertEquals(Frame.TYPE_RESPONSE, in.readByte());
        in.readByte();
        byte[] payload = new byte[length];
        in.readFully(payload);
        return Response.parseFrom(payload);
    }

    void assertStillServes(int stream) throws IOException {
        byte[] ok = Request.newBuilder().setService("s").setMethod("m")
                .setPayload(StringValue.of("fine").toByteString()).build().toByteArray();
        send(ok.length, stream, Frame.TYPE_REQUEST, ok);
        Response r = response(stream);
        assertEquals(0, r.getStatus().getCode());
        assertEquals("fine", StringValue.parseFrom(r.getPayload()).getValue());
    }

    @Test
    void garbageProtobufIsInvalidArgument() throws IOException {
        byte[] junk = {(byte) 0xff, (byte) 0xff, (byte) 0xff};
        send(junk.length, 1, Frame.TYPE_REQUEST, junk);
        Response r = response(1);
        assertEquals(Code.INVALID_ARGUMENT.value(), r.getStatus().getCode());
        assertTrue(r.getStatus().getMessage().startsWith("unmarshal request error"), r.getStatus().getMessage());
        assertStillServes(3);
    }

    @Test
    void garbageInnerPayloadIsInvalidArgument() throws IOException {
        byte[] req = Request.newBuilder().setService("s").setMethod("m")
                .setPayload(ByteString.copyFrom(new byte[]{0x0a, 0x7f})).build().toByteArray();
        send(req.length, 3, Frame.TYPE_REQUEST, req);
        Response r = response(3);
        assertEquals(Code.INVALID_ARGUMENT.value(), r.getStatus().getCode());
        assertTrue(r.getStatus().getMessage().startsWith("unmarshal request payload"), r.getStatus().getMessage());
        assertStillServes(5);
    }

    @Test
    void evenStreamIdIsRejected() throws IOException {
        byte[] req = Request.newBuilder().setService("s").setMethod("m").build().toByteArray();
        send(req.length, 2, Frame.TYPE_REQUEST, req);
        Response r = response(2);
        assertEquals(Code.INVALID_ARGUMENT.value(), r.getStatus().getCode());
        assertEquals("stream id 2 must be odd for client-initiated streams", r.getStatus().getMessage());
        assertStillServes(7);
    }

    @Test
    void oversizedRequestIsResourceExhaustedThenServiceContinues() throws IOException {
        send(Frame.MAX_PAYLOAD + 1, 5, Frame.TYPE_REQUEST, new byte[Frame.MAX_PAYLOAD + 1]);
        Response r = response(5);
        assertEquals(Code.RESOURCE_EXHAUSTED.value(), r.getStatus().getCode());
        assertEquals("message length 4194305 exceeds maximum message size of 4194304", r.getStatus().getMessage());
        assertStillServes(7);
    }

    @Test
    void unknownFrameTypeIsSkipped() throws IOException {
        send(4, 9, 0x42, new byte[]{1, 2, 3, 4});
        assertStillServes(11);   // the first frame back answers stream 11: nothing was sent for the unknown type
    }

    @Test
    void truncatedFrameThenCloseLeavesTheServerHealthy() throws Exception {
        send(100, 1, Frame.TYPE_REQUEST, new byte[10]);
        raw.close();
        try (SocketChannel again = SocketChannel.open(UnixDomainSocketAddress.of(address.path()))) {
            raw = again;
            in = new DataInputStream(Channels.newInputStream(again));
            assertStillServes(1);
        }
        raw = SocketChannel.open(UnixDomainSocketAddress.of(address.path()));
    }

    @Test
    void closingTheServerRemovesItsSocketFile() {
        assertTrue(Files.exists(Path.of(address.path())));
        server.close();
        assertFalse(Files.exists(Path.of(address.path())), "stale socket file left behind");
    }
}
