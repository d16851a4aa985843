package io.katacc.ttrpc.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.katacc.ttrpc.proto.KeyValue;
import io.katacc.ttrpc.proto.Request;
import io.katacc.ttrpc.proto.Response;
import io.katacc.ttrpc.proto.rpc.Status;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written envelopes give exactly the generated classes' bytes, and read what they write. */
class EnvelopesTest {
    private static final ByteString SVC = ByteString.copyFromUtf8("grpc.AgentService");
    private static final ByteString METHOD = ByteString.copyFromUtf8("ExecProcess");

    @Test
    void requestsMatchTheGeneratedEncoding() {
        Random r = new Random(7);
        for (int size : new int[] {0, 1, 127, 128, 1024, 70_000}) {
            byte[] p = new byte[size];
            r.nextBytes(p);
            ByteString payload = ByteString.copyFrom(p);
            for (long timeout : new long[] {0, 1, 30_000_000_000L, -5}) {
                byte[] generated = Request.newBuilder().setServiceBytes(SVC).setMethodBytes(METHOD).setPayload(payload)
                        .setTimeoutNano(timeout).build().toByteArray();
                assertArrayEquals(generated, Envelopes.request(SVC, METHOD, payload, timeout, List.of()),
                        "size " + size + " timeout " + timeout);
            }
        }
        var msg = com.google.protobuf.BytesValue.of(ByteString.copyFromUtf8("payload as a message"));
        assertArrayEquals(Request.newBuilder().setServiceBytes(SVC).setMethodBytes(METHOD).setPayload(msg.toByteString())
                .setTimeoutNano(9).build().toByteArray(), Envelopes.request(SVC, METHOD, msg, 9, List.of()));
        assertArrayEquals(Request.newBuilder().setServiceBytes(SVC).setMethodBytes(METHOD).build().toByteArray(),
                Envelopes.request(SVC, METHOD, com.google.protobuf.Empty.getDefaultInstance(), 0, List.of()), "empty message");
        assertArrayEquals(Response.newBuilder().setStatus(Status.getDefaultInstance()).setPayload(msg.toByteString()).build()
                .toByteArray(), Envelopes.response(msg));
        List<KeyValue> md = List.of(KeyValue.newBuilder().setKey("k").setValue("v").build());
        assertArrayEquals(Request.newBuilder().setServiceBytes(SVC).setMethodBytes(METHOD).addAllMetadata(md).build().toByteArray(),
                Envelopes.request(SVC, METHOD, ByteString.EMPTY, 0, md));
    }

    @Test
    void responsesMatchAndRoundTrip() throws Exception {
        Status ok = Status.getDefaultInstance();
        Status err = Status.newBuilder().setCode(5).setMessage("container c1 not found").build();
        for (Status st : List.of(ok, err)) {
            for (ByteString payload : List.of(ByteString.EMPTY, ByteString.copyFromUtf8("x"), ByteString.copyFrom(new byte[300]))) {
                byte[] generated = Response.newBuilder().setStatus(st).setPayload(payload).build().toByteArray();
                byte[] ours = Envelopes.response(st, payload);
                assertArrayEquals(generated, ours);
                Envelopes.DecodedResponse d = Envelopes.decodeResponse(ByteBuffer.wrap(ours));
                assertEquals(st, d.status());
                assertEquals(payload, d.payload());
            }
        }
        // a peer that sends no status at all (allowed on the wire) reads as OK with no status
        Envelopes.DecodedResponse bare = Envelopes.decodeResponse(ByteBuffer.wrap(
                Response.newBuilder().setPayload(ByteString.copyFromUtf8("p")).build().toByteArray()));
        assertNull(bare.status());
        // unknown fields are skipped, as the generated parser does
        byte[] withUnknown = Response.newBuilder().setStatus(err).setUnknownFields(com.google.protobuf.UnknownFieldSet.newBuilder()
                .addField(9, com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(3).build()).build()).build().toByteArray();
        assertEquals(err, Envelopes.decodeResponse(ByteBuffer.wrap(withUnknown)).status());
        assertThrows(InvalidProtocolBufferException.class,
                () -> Envelopes.decodeResponse(ByteBuffer.wrap(new byte[] {0x0a, 0x05, 0x08})), "truncated status");
    }
}
