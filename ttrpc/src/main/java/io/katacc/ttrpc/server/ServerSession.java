package io.katacc.ttrpc.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.InvalidProtocolBufferException;
import io.katacc.ttrpc.metadata.Metadata;
import io.katacc.ttrpc.proto.Request;
import io.katacc.ttrpc.proto.Response;
import io.katacc.ttrpc.status.Code;
import io.katacc.ttrpc.wire.Frame;
import io.katacc.ttrpc.wire.FrameWriter;
import io.katacc.ttrpc.wire.RejectedFrame;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;

/** Server side of one connection: dispatches requests to handlers and routes stream data to calls. */
final class ServerSession extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ServerSession.class);

    private final ServiceRegistry registry;
    // event loop only: requests, data, answers (FrameWriter's on-loop hook) and shutdown all run there
    private final Map<Integer, ServerCall> active = new java.util.HashMap<>();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final ThreadFactory threads = Thread.ofVirtual().name("ttrpc-handler-", 0).factory();
    private volatile boolean draining;
    private Channel channel;
    private FrameWriter writer;

    ServerSession(ServiceRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        writer = new FrameWriter(channel);
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
            case RejectedFrame rejected -> onRejected(rejected);
            default -> ctx.fireChannelRead(msg);
        }
    }

    private void onFrame(Frame frame) {
        switch (frame.type()) {
            case Frame.TYPE_REQUEST -> onRequest(frame);
            case Frame.TYPE_DATA -> {
                ServerCall call = active.get(frame.streamId());
                if (call != null) {
                    call.onData(frame);
                }
            }
            default -> LOG.debug("ignoring {} from client", frame);
        }
    }

    private void onRequest(Frame frame) {
        int id = frame.streamId();
        Request request;
        try {
            request = Request.parseFrom(frame.content().nioBuffer());
        } catch (InvalidProtocolBufferException e) {
            respond(id, Code.INVALID_ARGUMENT, "unmarshal request error: " + e.getMessage());
            return;
        }
        if ((id & 1) == 0) {
            respond(id, Code.INVALID_ARGUMENT, "stream id " + Integer.toUnsignedString(id)
                    + " must be odd for client-initiated streams");
            return;
        }
        if (active.containsKey(id)) {
            LOG.warn("client reused active stream id {}; request dropped", id);
            return;
        }
        if (draining) {
            respond(id, Code.UNAVAILABLE, "server is shutting down");
            return;
        }
        String service = request.getService();
        String method = request.getMethod();
        MethodHandler handler = registry.lookup(service, method).orElse(null);
        if (handler == null) {
            respond(id, Code.UNIMPLEMENTED, registry.hasService(service)
                    ? "unknown method " + method + " of service " + service
                    : "unknown service " + service);
            return;
        }
        ServerCall call = new ServerCall(this, channel, writer, id, service, method,
                Metadata.fromWire(request.getMetadataList()), request.getTimeoutNano(), handler,
                request.getPayload(), frame.flags());
        active.put(id, call);
        call.start();
    }

    private void onRejected(RejectedFrame rejected) {
        if (rejected.code() != Code.RESOURCE_EXHAUSTED) {
            // Unknown frame types are skipped for forward compatibility, as Go ttrpc does.
            LOG.debug("skipped frame: {}", rejected.reason());
            return;
        }
        ServerCall call = active.get(rejected.streamId());
        if (call != null) {
            call.failWith(rejected.code(), rejected.reason());
        } else {
            respond(rejected.streamId(), rejected.code(), rejected.reason());
        }
    }

    private void respond(int streamId, Code code, String message) {
        byte[] bytes = Response.newBuilder().setStatus(ServerCall.status(code, message)).build().toByteArray();
        writer.send(new Frame(streamId, Frame.TYPE_RESPONSE, (byte) 0, Unpooled.wrappedBuffer(bytes)));
    }

    void callFinished(ServerCall call) {
        active.remove(call.streamId(), call);
        if (draining && active.isEmpty()) {
            drained.complete(null);
        }
    }

    /** Stops accepting new calls; the future completes when the in-flight ones have answered. */
    CompletableFuture<Void> drain() {
        draining = true;
        try {
            channel.eventLoop().execute(() -> {
                if (active.isEmpty()) {
                    drained.complete(null);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            drained.complete(null); // loop gone: nothing is in flight on it
        }
        return drained;
    }

    ThreadFactory threads() {
        return threads;
    }

    Channel channel() {
        return channel;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        active.values().forEach(ServerCall::abort);
        active.clear();
        drained.complete(null);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("closing ttrpc connection " + ctx.channel() + ": " + cause.getMessage());
        ctx.close();
    }
}
