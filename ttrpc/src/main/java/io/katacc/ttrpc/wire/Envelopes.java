package io.katacc.ttrpc.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.katacc.ttrpc.proto.rpc.Status;
import io.katacc.ttrpc.proto.KeyValue;
import io.katacc.ttrpc.proto.Request;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * {@code ttrpc.Request} and {@code ttrpc.Response} on the hot path, written and read field by field: the
 * same bytes the generated classes produce (field order, an OK status as an empty field 1, as Go's ttrpc
 * sends it) without building messages around every call. The generated classes stay the reference:
 * {@code EnvelopesTest} holds the two to the same bytes.
 */
public final class Envelopes {
    private static final int REQ_SERVICE = 1 << 3 | 2;
    private static final int REQ_METHOD = 2 << 3 | 2;
    private static final int REQ_PAYLOAD = 3 << 3 | 2;
    private static final int REQ_TIMEOUT = 4 << 3;
    private static final int RESP_STATUS = 1 << 3 | 2;
    private static final int RESP_PAYLOAD = 2 << 3 | 2;

    private Envelopes() {
    }

    /** A response as read: {@code status} null when the peer sent none (treated as OK). */
    public record DecodedResponse(Status status, ByteString payload) {
    }

    /** A request whose payload is {@code message}, serialized straight into the envelope. */
    public static byte[] request(ByteString service, ByteString method, com.google.protobuf.MessageLite message,
                                 long timeoutNano, List<KeyValue> metadata) {
        if (!metadata.isEmpty()) {
            return request(service, method, message.toByteString(), timeoutNano, metadata);
        }
        return request(service, method, message.getSerializedSize(), message::writeTo, timeoutNano);
    }

    public static byte[] request(ByteString service, ByteString method, ByteString payload, long timeoutNano,
                                 List<KeyValue> metadata) {
        if (!metadata.isEmpty()) {
            // rare enough to leave to the generated code
            return Request.newBuilder().setServiceBytes(service).setMethodBytes(method).setPayload(payload)
                    .setTimeoutNano(timeoutNano).addAllMetadata(metadata).build().toByteArray();
        }
        return request(service, method, payload.size(), o -> o.writeRawBytes(payload), timeoutNano);
    }

    private interface PayloadWriter {
        void write(CodedOutputStream o) throws IOException;
    }

    private static byte[] request(ByteString service, ByteString method, int payloadSize, PayloadWriter payload,
                                  long timeoutNano) {
        int size = field(service.size()) + field(method.size()) + field(payloadSize)
                + (timeoutNano != 0 ? 1 + CodedOutputStream.computeInt64SizeNoTag(timeoutNano) : 0);
        byte[] out = new byte[size];
        CodedOutputStream o = CodedOutputStream.newInstance(out);
        try {
            writeField(o, REQ_SERVICE, service.size(), x -> x.writeRawBytes(service));
            writeField(o, REQ_METHOD, method.size(), x -> x.writeRawBytes(method));
            writeField(o, REQ_PAYLOAD, payloadSize, payload);
            if (timeoutNano != 0) {
                o.writeUInt32NoTag(REQ_TIMEOUT);
                o.writeInt64NoTag(timeoutNano);
            }
            o.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new IllegalStateException("sizing a ttrpc request went wrong", e);
        }
        return out;
    }

    public static byte[] response(Status status, ByteString payload) {
        return response(status, payload.size(), x -> x.writeRawBytes(payload));
    }

    /** An OK response whose payload is {@code message}, serialized straight into the envelope. */
    public static byte[] response(com.google.protobuf.MessageLite message) {
        return response(Status.getDefaultInstance(), message.getSerializedSize(), message::writeTo);
    }

    private static byte[] response(Status status, int payloadSize, PayloadWriter payload) {
        int statusSize = status.getSerializedSize();
        // the status goes out even when empty ("0a 00"), as Go's ttrpc sends it
        int size = 1 + CodedOutputStream.computeUInt32SizeNoTag(statusSize) + statusSize + field(payloadSize);
        byte[] out = new byte[size];
        CodedOutputStream o = CodedOutputStream.newInstance(out);
        try {
            o.writeUInt32NoTag(RESP_STATUS);
            o.writeUInt32NoTag(statusSize);
            status.writeTo(o);
            writeField(o, RESP_PAYLOAD, payloadSize, payload);
            o.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new IllegalStateException("sizing a ttrpc response went wrong", e);
        }
        return out;
    }

    public static DecodedResponse decodeResponse(ByteBuffer buf) throws InvalidProtocolBufferException {
        CodedInputStream in = CodedInputStream.newInstance(buf);
        Status status = null;
        ByteString payload = ByteString.EMPTY;
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (tag) {
                    case RESP_STATUS -> {
                        int len = in.readRawVarint32();
                        if (len == 0) {
                            status = Status.getDefaultInstance();
                        } else {
                            int limit = in.pushLimit(len);
                            status = Status.parseFrom(in);
                            in.checkLastTagWas(0);
                            in.popLimit(limit);
                        }
                    }
                    case RESP_PAYLOAD -> payload = in.readBytes();
                    default -> {
                        if (!in.skipField(tag)) {
                            return new DecodedResponse(status, payload);
                        }
                    }
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidProtocolBufferException(e);
        }
        return new DecodedResponse(status, payload);
    }

    /** Bytes of a length-delimited field of {@code len} bytes; proto3 leaves an empty one out. */
    private static int field(int len) {
        return len == 0 ? 0 : 1 + CodedOutputStream.computeUInt32SizeNoTag(len) + len;
    }

    private static void writeField(CodedOutputStream o, int tag, int len, PayloadWriter content) throws IOException {
        if (len > 0) {
            o.writeUInt32NoTag(tag);
            o.writeUInt32NoTag(len);
            content.write(o);
        }
    }
}
