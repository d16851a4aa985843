package io.katacc.ttrpc.client;

import com.google.protobuf.InvalidProtocolBufferException;
import io.katacc.ttrpc.proto.Response;
import io.katacc.ttrpc.status.Code;
import io.katacc.ttrpc.status.TtrpcException;
import io.katacc.ttrpc.wire.Frame;
import io.katacc.ttrpc.wire.RejectedFrame;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Client side of one connection. Stream ids are assigned and requests written on the event loop, so ids go out
 * in increasing order (1, 3, 5, ...) whatever thread calls.
 */
final class ClientSession extends ChannelInboundHandlerAdapter {
    private final Map<Integer, PendingCall> pending = new ConcurrentHashMap<>();
    private Channel channel;
    private int nextStreamId = 1;
    private volatile String closedReason;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    /** Assigns a stream id and writes the request; schedules the client-side deadline. */
    void start(PendingCall call, String name, byte[] request, byte flags, long timeoutNanos) {
        if (!runOnLoop(() -> write(call, name, request, flags, timeoutNanos))) {
            call.fail(new TtrpcException(Code.UNAVAILABLE, "ttrpc connection closed: "
                    + (closedReason != null ? closedReason : "event loop stopped")));
        }
    }

    private boolean runOnLoop(Runnable task) {
        try {
            channel.eventLoop().execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void write(PendingCall call, String name, byte[] request, byte flags, long timeoutNanos) {
        if (closedReason != null || !channel.isActive()) {
            call.fail(new TtrpcException(Code.UNAVAILABLE, "ttrpc connection closed"
                    + (closedReason != null ? ": " + closedReason : "")));
            return;
        }
        int id = nextStreamId;
        nextStreamId += 2;
        if (call instanceof StreamCall<?> stream) {
            stream.streamId(id);
        }
        pending.put(id, call);
        channel.writeAndFlush(new Frame(id, Frame.TYPE_REQUEST, flags, Unpooled.wrappedBuffer(request)))
                .addListener(f -> {
                    if (!f.isSuccess() && pending.remove(id, call)) {
                        call.fail(new TtrpcException(Code.UNAVAILABLE, "cannot send " + name + ": "
                                + f.cause().getMessage(), f.cause()));
                    }
                });
        if (timeoutNanos > 0 && call instanceof UnaryCall) {
            channel.eventLoop().schedule(() -> {
                if (pending.remove(id, call)) {
                    call.fail(new TtrpcException(Code.DEADLINE_EXCEEDED, "deadline exceeded calling " + name));
                }
            }, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    void sendData(StreamCall<?> call, byte[] payload, byte flags) {
        if (payload.length > Frame.MAX_PAYLOAD) {
            throw new TtrpcException(Code.RESOURCE_EXHAUSTED, "message length " + payload.length
                    + " exceeds maximum message size of " + Frame.MAX_PAYLOAD);
        }
        // Runs after the request write queued by start(), so the stream id is known by then.
        if (!runOnLoop(() -> channel.writeAndFlush(
                new Frame(call.streamId(), Frame.TYPE_DATA, flags, Unpooled.wrappedBuffer(payload))))) {
            throw new TtrpcException(Code.UNAVAILABLE, "ttrpc connection closed");
        }
    }

    void forget(StreamCall<?> call) {
        runOnLoop(() -> pending.remove(call.streamId(), call));
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
                    call.onResponse(Response.parseFrom(frame.content().nioBuffer()));
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
