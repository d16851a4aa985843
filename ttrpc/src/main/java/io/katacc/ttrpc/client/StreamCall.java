package io.katacc.ttrpc.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.katacc.ttrpc.proto.Response;
import io.katacc.ttrpc.proto.rpc.Status;
import io.katacc.ttrpc.status.Code;
import io.katacc.ttrpc.status.TtrpcException;
import io.katacc.ttrpc.wire.Frame;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Client side of a streaming call: inbound data queued for {@link #receive()}, outbound via the session. */
final class StreamCall<R> implements PendingCall, ClientStream<R> {
    private record End(TtrpcException error) {
    }

    private final ClientSession session;
    private final String name;
    private final Parser<R> parser;
    private final long deadlineNanos;
    private final boolean hasDeadline;
    private final BlockingQueue<Object> inbound = new LinkedBlockingQueue<>();
    private volatile int streamId;
    private volatile boolean sendClosed;
    private End end;

    StreamCall(ClientSession session, String name, Parser<R> parser, long timeoutNanos) {
        this.session = session;
        this.name = name;
        this.parser = parser;
        this.hasDeadline = timeoutNanos > 0;
        this.deadlineNanos = System.nanoTime() + timeoutNanos;
    }

    void streamId(int id) {
        this.streamId = id;
    }

    int streamId() {
        return streamId;
    }

    void markSendClosed() {
        sendClosed = true;
    }

    @Override
    public void onResponse(io.katacc.ttrpc.wire.Envelopes.DecodedResponse response) {
        if (!response.payload().isEmpty()) {
            inbound.add(response.payload());
        }
        Status status = response.status();
        inbound.add(new End(status == null || status.getCode() == Code.OK.value() ? null : TtrpcException.fromStatus(status)));
    }

    @Override
    public void onData(Frame frame) {
        if (!frame.hasFlag(Frame.FLAG_NO_DATA)) {
            inbound.add(ByteString.copyFrom(frame.content().nioBuffer()));
        }
    }

    @Override
    public void fail(TtrpcException error) {
        inbound.add(new End(error));
    }

    @Override
    public void send(Message message) {
        if (sendClosed) {
            throw new IllegalStateException("send on " + name + " after closeSend()");
        }
        session.sendData(this, message.toByteArray(), (byte) 0);
    }

    @Override
    public void closeSend() {
        if (!sendClosed) {
            sendClosed = true;
            session.sendData(this, new byte[0], (byte) (Frame.FLAG_REMOTE_CLOSED | Frame.FLAG_NO_DATA));
        }
    }

    @Override
    public R receive() {
        if (end != null) {
            return finished();
        }
        Object next;
        try {
            if (hasDeadline) {
                next = inbound.poll(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (next == null) {
                    next = new End(new TtrpcException(Code.DEADLINE_EXCEEDED, "deadline exceeded on " + name));
                    session.forget(this);
                }
            } else {
                next = inbound.take();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TtrpcException(Code.CANCELLED, "interrupted while receiving from " + name, e);
        }
        if (next instanceof End e) {
            end = e;
            return finished();
        }
        try {
            return parser.parseFrom((ByteString) next);
        } catch (InvalidProtocolBufferException e) {
            throw new TtrpcException(Code.INTERNAL, "cannot parse message from " + name + ": " + e.getMessage(), e);
        }
    }

    private R finished() {
        if (end.error() != null) {
            TtrpcException e = end.error();
            throw new TtrpcException(e.code(), e.description(), e);
        }
        return null;
    }

    @Override
    public void close() {
        closeSend();
        session.forget(this);
    }
}
