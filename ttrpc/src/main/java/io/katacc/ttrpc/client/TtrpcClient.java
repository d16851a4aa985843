package io.katacc.ttrpc.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.katacc.ttrpc.proto.Request;
import io.katacc.ttrpc.status.Code;
import io.katacc.ttrpc.status.TtrpcException;
import io.katacc.ttrpc.transport.Address;
import io.katacc.ttrpc.transport.Transport;
import io.katacc.ttrpc.wire.Frame;
import io.katacc.ttrpc.wire.FrameDecoder;
import io.katacc.ttrpc.wire.FrameEncoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A ttrpc client on one connection. Thread-safe: any number of threads may call concurrently; calls are
 * multiplexed by stream id.
 */
public final class TtrpcClient implements AutoCloseable {
    private final Address address;
    private final EventLoopGroup group;
    private final Channel channel;
    private final ClientSession session;
    private final ClientOptions options;

    private TtrpcClient(Address address, EventLoopGroup group, Channel channel, ClientSession session,
                        ClientOptions options) {
        this.address = address;
        this.group = group;
        this.channel = channel;
        this.session = session;
        this.options = options;
    }

    public static TtrpcClient connect(Address address) throws IOException {
        return connect(address, ClientOptions.DEFAULT);
    }

    public static TtrpcClient connect(Address address, ClientOptions options) throws IOException {
        EventLoopGroup group = Transport.newEventLoopGroup(address, 1, "ttrpc-client");
        ClientSession session = new ClientSession();
        try {
            Channel channel = Transport.connect(address, group, new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new FrameDecoder(), FrameEncoder.INSTANCE, session);
                }
            }, options.connectTimeout());
            return new TtrpcClient(address, group, channel, session, options);
        } catch (IOException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    public Address address() {
        return address;
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /** Blocking unary call with a deadline. */
    public <R> R call(String service, String method, Message request, Parser<R> responseParser, Duration timeout) {
        return call(service, method, request, responseParser, CallOptions.timeout(timeout));
    }

    /** Blocking unary call. Throws {@link TtrpcException} with the server's (or a local) status on failure. */
    public <R> R call(String service, String method, Message request, Parser<R> responseParser, CallOptions options) {
        String name = service + "/" + method;
        try {
            // parse in the caller, not on the event loop
            return parse(name, start(service, method, request, options).get(), responseParser);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TtrpcException(Code.CANCELLED, "interrupted while calling " + name, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TtrpcException t) {
                // Re-thrown so the stack trace shows the caller.
                throw new TtrpcException(t.code(), t.description(), t);
            }
            throw new TtrpcException(Code.UNKNOWN, String.valueOf(e.getCause()), e.getCause());
        }
    }

    public <R> CompletableFuture<R> callAsync(String service, String method, Message request, Parser<R> responseParser,
                                              CallOptions options) {
        String name = service + "/" + method;
        return start(service, method, request, options).thenApply(payload -> parse(name, payload, responseParser));
    }

    private CompletableFuture<ByteString> start(String service, String method, Message request, CallOptions options) {
        byte[] envelope;
        try {
            envelope = checkedSize(service, method, io.katacc.ttrpc.wire.Envelopes.request(name(service), name(method),
                    request, timeoutNanos(options), options.metadata().toWire()));
        } catch (TtrpcException e) {
            return CompletableFuture.failedFuture(e);
        }
        UnaryCall call = new UnaryCall();
        session.start(call, service + "/" + method, envelope, (byte) 0, timeoutNanos(options));
        return call.result;
    }

    /**
     * Opens a streaming call. With {@code clientStreaming} the request frame is sent "remote open" and messages
     * follow via {@link ClientStream#send}; otherwise {@code request} is the only input ("remote closed").
     */
    public <R> ClientStream<R> stream(String service, String method, boolean clientStreaming, Message request,
                                      Parser<R> responseParser, CallOptions options) {
        String name = service + "/" + method;
        ByteString payload = clientStreaming || request == null ? ByteString.EMPTY : request.toByteString();
        byte[] envelope = envelope(service, method, payload, options);
        StreamCall<R> call = new StreamCall<>(session, name, responseParser, timeoutNanos(options));
        if (!clientStreaming) {
            call.markSendClosed();
        }
        session.start(call, name, envelope, clientStreaming ? Frame.FLAG_REMOTE_OPEN : Frame.FLAG_REMOTE_CLOSED,
                timeoutNanos(options));
        return call;
    }

    private final java.util.Map<String, ByteString> names = new java.util.concurrent.ConcurrentHashMap<>();

    /** Service and method names repeat on every call: encode them to UTF-8 once. */
    private ByteString name(String s) {
        return names.computeIfAbsent(s, ByteString::copyFromUtf8);
    }

    private byte[] envelope(String service, String method, ByteString payload, CallOptions options) {
        return checkedSize(service, method, io.katacc.ttrpc.wire.Envelopes.request(name(service), name(method), payload,
                timeoutNanos(options), options.metadata().toWire()));
    }

    private byte[] checkedSize(String service, String method, byte[] bytes) {
        if (bytes.length > this.options.maxSendPayload()) {
            throw new TtrpcException(Code.RESOURCE_EXHAUSTED, "refusing to send " + service + "/" + method
                    + ": message length " + bytes.length + " exceeds maximum message size of "
                    + this.options.maxSendPayload());
        }
        return bytes;
    }

    private static long timeoutNanos(CallOptions options) {
        return options.timeout().map(Duration::toNanos).orElse(0L);
    }

    private static <R> R parse(String name, ByteString payload, Parser<R> parser) {
        try {
            return parser.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new TtrpcException(Code.INTERNAL, "cannot parse response of " + name + ": " + e.getMessage(), e);
        }
    }

    /** Closes the connection; pending calls fail with UNAVAILABLE. */
    @Override
    public void close() {
        session.closing();
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
