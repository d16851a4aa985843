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
    private Channel channel;
    private FrameWriter writer;
    private int nextStreamId = 1;
    private volatile String closedReason;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        writer = new FrameWriter(channel);
    }

    /**
     * Queues the request; its stream id is assigned on the event loop as it is written (ids go out in
     * increasing order with no lock among callers), and the client-side deadline is armed there too.
     */
    void start(PendingCall call, String name, byte[] request, byte flags, long timeoutNanos) {
        if (closedReason != null) {
            call.fail(closedError());
            return;
        }
        boolean queued = writer.sendLazy(() -> {
            int id = nextStreamId; // event loop only
            nextStreamId += 2;
            if (call instanceof StreamCall<?> stream) {
                stream.streamId(id);
            }
            pending.put(id, call);
            if (timeoutNanos > 0 && call instanceof UnaryCall unary) {
                unary.deadline = channel.eventLoop().schedule(() -> {
                    if (pending.remove(id, call)) {
                        call.fail(new TtrpcException(Code.DEADLINE_EXCEEDED, "deadline exceeded calling " + name));
                    }
                }, timeoutNanos, TimeUnit.NANOSECONDS);
            }
            // no per-call write listener: a failed write fails the connection (exceptionCaught -> close), and
            // channelInactive fails every pending call with the reason
            return new Frame(id, Frame.TYPE_REQUEST, flags, Unpooled.wrappedBuffer(request));
        }, () -> call.fail(closedError()));
        if (!queued) {
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
        // built on the loop: queued after the stream's request, so its id is assigned by then
        if (closedReason != null
                || !writer.sendLazy(() -> new Frame(call.streamId(), Frame.TYPE_DATA, flags, Unpooled.wrappedBuffer(payload)), null)) {
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
