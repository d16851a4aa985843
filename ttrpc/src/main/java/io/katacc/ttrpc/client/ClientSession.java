package io.katacc.ttrpc.client;

import com.google.protobuf.InvalidProtocolBufferException;
import io.katacc.ttrpc.proto.Response;
import io.katacc.ttrpc.status.Code;
import io.katacc.ttrpc.status.TtrpcException;
import io.katacc.ttrpc.wire.Frame;
import io.katacc.ttrpc.wire.FrameWriter;
import io.katacc.ttrpc.wire.RejectedFrame;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Client side of one connection. Stream ids are assigned and requests written on the event loop, so ids go out
 * in increasing order (1, 3, 5, ...) whatever thread calls.
 */
final class ClientSession extends ChannelInboundHandlerAdapter {
    private final Map<Integer, PendingCall> pending = new ConcurrentHashMap<>();
    private final Object idLock = new Object();
    private Channel channel;
    private FrameWriter writer;
    private int nextStreamId = 1;
    private volatile String closedReason;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        writer = new FrameWriter(channel);
    }

    /** Assigns a stream id and queues the request; the client-side deadline is armed on the event loop. */
    void start(PendingCall call, String name, byte[] request, byte flags, long timeoutNanos) {
        if (closedReason != null) {
            call.fail(closedError());
            return;
        }
        int id;
        boolean queued;
        // ids must hit the wire in increasing order: assign and enqueue under one lock (the queue keeps order)
        synchronized (idLock) {
            id = nextStreamId;
            nextStreamId += 2;
            if (call instanceof StreamCall<?> stream) {
                stream.streamId(id);
            }
            pending.put(id, call);
            Runnable armDeadline = timeoutNanos > 0 && call instanceof UnaryCall unary
                    ? () -> {
                        if (pending.get(id) == call) {
                            unary.deadline = channel.eventLoop().schedule(() -> {
                                if (pending.remove(id, call)) {
                                    call.fail(new TtrpcException(Code.DEADLINE_EXCEEDED,
                                            "deadline exceeded calling " + name));
                                }
                            }, timeoutNanos, TimeUnit.NANOSECONDS);
                        }
                    }
                    : null;
            // no per-call write listener: a failed write fails the connection (exceptionCaught -> close), and
            // channelInactive fails every pending call with the reason
            queued = writer.send(new Frame(id, Frame.TYPE_REQUEST, flags, Unpooled.wrappedBuffer(request)), null,
                    armDeadline);
        }
        // the connection may have died between the check above and put(): never leave the call hanging
        if ((!queued || closedReason != null) && pending.remove(id, call)) {
            call.fail(closedError());
        }
    }

    private TtrpcException closedError() {
        return new TtrpcException(Code.UNAVAILABLE, "ttrpc connection closed: "
                + (closedReason != null ? closedReason : "event loop stopped"));
    }

    void sendData(StreamCall<?> call, byte[] payload, byte flags) {
        if (payload.length > Frame.MAX_PAYLOAD) {
            throw new TtrpcException(Code.RESOURCE_EXHAUSTED, "message length " + payload.length
                    + " exceeds maximum message size of " + Frame.MAX_PAYLOAD);
        }
        if (closedReason != null
                || !writer.send(new Frame(call.streamId(), Frame.TYPE_DATA, flags, Unpooled.wrappedBuffer(payload)))) {
            throw closedError();
        }
    }

    void forget(StreamCall<?> call) {
        pending.remove(call.streamId(), call);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (msg) {
            case Frame frame -> {
                try {
                    onFrame(frame);
                } finally {
                    frame.release();
                }
            }
            case RejectedFrame rejected -> {
                PendingCall call = rejected.code() == Code.RESOURCE_EXHAUSTED ? pending.remove(rejected.streamId()) : null;
                if (call != null) {
                    call.fail(new TtrpcException(rejected.code(), rejected.reason()));
                }
            }
            default -> ctx.fireChannelRead(msg);
        }
    }

    private void onFrame(Frame frame) {
        int id = frame.streamId();
        switch (frame.type()) {
            case Frame.TYPE_RESPONSE -> {
                PendingCall call = pending.remove(id);
                if (call == null) {
                    return; // late answer to a call whose deadline passed
                }
                try {
                    call.onResponse(io.katacc.ttrpc.wire.Envelopes.decodeResponse(frame.content().nioBuffer()));
                } catch (InvalidProtocolBufferException e) {
                    call.fail(new TtrpcException(Code.INTERNAL, "malformed ttrpc response on stream " + id + ": "
                            + e.getMessage(), e));
                }
            }
            case Frame.TYPE_DATA -> {
                PendingCall call = pending.get(id);
                if (call != null) {
                    call.onData(frame);
                }
            }
            default -> {
                // requests from a server are not part of the protocol; ignore like Go does
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        String reason = closedReason != null ? closedReason : "connection closed by peer";
        closedReason = reason;
        TtrpcException error = new TtrpcException(Code.UNAVAILABLE, "ttrpc connection closed: " + reason);
        pending.values().forEach(call -> call.fail(error));
        pending.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (closedReason == null) {
            closedReason = String.valueOf(cause.getMessage());
        }
        ctx.close();
    }

    void closing() {
        if (closedReason == null) {
            closedReason = "client closed";
        }
    }
}
