package io.katacc.ttrpc.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.katacc.ttrpc.metadata.Metadata;
import io.katacc.ttrpc.proto.Response;
import io.katacc.ttrpc.proto.rpc.Status;
import io.katacc.ttrpc.wire.Envelopes;
import io.katacc.ttrpc.status.Code;
import io.katacc.ttrpc.status.TtrpcException;
import io.katacc.ttrpc.wire.Frame;
import io.katacc.ttrpc.wire.FrameWriter;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** One in-flight call on the server: runs its handler on a virtual thread and sends exactly one response. */
final class ServerCall implements CallContext, Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerCall.class);
    private static final Object END = new Object();

    private final ServerSession session;
    private final Channel channel;
    private final FrameWriter writer;
    private final int streamId;
    private final String service;
    private final String method;
    private final Metadata metadata;
    private final long deadlineNanos;
    private final boolean hasDeadline;
    private final MethodHandler handler;
    private final ByteString requestPayload;
    private final AtomicBoolean done = new AtomicBoolean();
    private final BlockingQueue<Object> inbound = new LinkedBlockingQueue<>();
    private volatile boolean cancelled;
    private volatile Thread thread;
    private volatile Future<?> deadlineTimer;

    ServerCall(ServerSession session, Channel channel, FrameWriter writer, int streamId, String service, String method,
               Metadata metadata, long timeoutNanos, MethodHandler handler, ByteString requestPayload,
               byte requestFlags) {
        this.session = session;
        this.channel = channel;
        this.writer = writer;
        this.streamId = streamId;
        this.service = service;
        this.method = method;
        this.metadata = metadata;
        // Go ttrpc only applies positive timeouts; zero or negative means "no deadline".
        this.hasDeadline = timeoutNanos > 0;
        this.deadlineNanos = System.nanoTime() + Math.max(0, timeoutNanos);
        this.handler = handler;
        this.requestPayload = requestPayload;
        if ((requestFlags & Frame.FLAG_REMOTE_OPEN) == 0) {
            // Unary, or a stream whose only input is the request payload.
            unread.addAndGet(requestPayload.size());
            inbound.add(requestPayload);
            inbound.add(END);
        }
    }

    int streamId() {
        return streamId;
    }

    void start() {
        // arm the timer before the handler can finish, so finish() always sees (and cancels) it
        if (hasDeadline) {
            deadlineTimer = channel.eventLoop().schedule(this::expire, deadlineNanos - System.nanoTime(),
                    TimeUnit.NANOSECONDS);
        }
        thread = session.threads().newThread(this);
        thread.start();
    }

    private void expire() {
        if (finish(Status.newBuilder().setCode(Code.DEADLINE_EXCEEDED.value())
                .setMessage("deadline exceeded for " + service + "/" + method).build())) {
            cancel();
        }
    }

    /** Cancels the handler without answering (connection gone or forced shutdown). */
    void abort() {
        if (done.compareAndSet(false, true)) {
            cancelTimer();
            cancel();
        }
    }

    private void cancel() {
        cancelled = true;
        inbound.add(END);
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
        }
    }

    @Override
    public void run() {
        try {
            switch (handler) {
                case MethodHandler.Unary<?> unary -> runUnary(unary);
                case MethodHandler.Streaming<?> streaming -> runStreaming(streaming);
            }
        } catch (TtrpcException e) {
            finish(e.toStatus());
        } catch (InterruptedException e) {
            finish(status(Code.CANCELLED, "call cancelled"));
        } catch (Exception | LinkageError | AssertionError e) {
            if (!done.get()) {
                LOG.warn(service + "/" + method + " failed", e);
            }
            finish(status(Code.UNKNOWN, String.valueOf(e.getMessage() != null ? e.getMessage() : e)));
        }
    }

    private <Q> void runUnary(MethodHandler.Unary<Q> unary) throws Exception {
        Q request = parse(unary.parser(), requestPayload);
        Message response = unary.handler().handle(request, this);
        if (response == null) {
            throw new TtrpcException(Code.INTERNAL, service + "/" + method + " handler returned null");
        }
        finishWith(response);
    }

    /** OK with {@code response} serialized straight into the envelope (no intermediate copy). */
    private void finishWith(Message response) {
        answer(() -> Envelopes.response(response));
    }

    private <Q> void runStreaming(MethodHandler.Streaming<Q> streaming) throws Exception {
        streaming.handler().handle(new Stream<>(streaming.parser()), this);
        finish(Status.getDefaultInstance());
    }

    private static <Q> Q parse(Parser<Q> parser, ByteString bytes) {
        try {
            return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new TtrpcException(Code.INVALID_ARGUMENT, "unmarshal request payload: " + e.getMessage(), e);
        }
    }

    /**
     * ttrpc has no flow control: a client may send data faster than the handler takes it. Beyond this many
     * unread bytes the stream fails with RESOURCE_EXHAUSTED instead of growing the server's memory.
     */
    static final long MAX_UNREAD_BYTES = 16L << 20;
    private final java.util.concurrent.atomic.AtomicLong unread = new java.util.concurrent.atomic.AtomicLong();

    void onData(Frame frame) {
        if (!frame.hasFlag(Frame.FLAG_NO_DATA)) {
            int n = frame.content().readableBytes();
            if (unread.addAndGet(n) > MAX_UNREAD_BYTES) {
                failWith(Code.RESOURCE_EXHAUSTED, "stream " + Integer.toUnsignedString(streamId) + " of " + service + "/"
                        + method + ": more than " + MAX_UNREAD_BYTES + " bytes sent and not yet read by the handler");
                return;
            }
            inbound.add(ByteString.copyFrom(frame.content().nioBuffer()));
        }
        if (frame.hasFlag(Frame.FLAG_REMOTE_CLOSED)) {
            inbound.add(END);
        }
    }

    void failWith(Code code, String message) {
        if (finish(status(code, message))) {
            cancel();
        }
    }

    /** Answers with {@code status} and no payload; false if the call was already answered. */
    private boolean finish(Status status) {
        return answer(() -> Envelopes.response(status, ByteString.EMPTY));
    }

    /** Sends the one response of this call; false if it was already answered. */
    private boolean answer(java.util.function.Supplier<byte[]> envelope) {
        if (!done.compareAndSet(false, true)) {
            return false;
        }
        byte[] bytes = envelope.get();
        if (bytes.length > Frame.MAX_PAYLOAD) {
            bytes = Envelopes.response(status(Code.RESOURCE_EXHAUSTED, "response message length "
                    + bytes.length + " exceeds maximum message size of " + Frame.MAX_PAYLOAD), ByteString.EMPTY);
        }
        send(bytes);
        return true;
    }

    private void send(byte[] bytes) {
        // timer and bookkeeping on the loop itself: from here they would cost loop wake-ups and a concurrent map
        writer.send(new Frame(streamId, Frame.TYPE_RESPONSE, (byte) 0, Unpooled.wrappedBuffer(bytes)), null,
                this::answered);
    }

    private void answered() {
        cancelTimer();
        session.callFinished(this);
    }

    private void cancelTimer() {
        Future<?> t = deadlineTimer;
        if (t != null) {
            t.cancel(false);
        }
    }

    static Status status(Code code, String message) {
        return Status.newBuilder().setCode(code.value()).setMessage(message).build();
    }

    @Override
    public String service() {
        return service;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public Metadata metadata() {
        return metadata;
    }

    @Override
    public Optional<Duration> remaining() {
        return hasDeadline ? Optional.of(Duration.ofNanos(deadlineNanos - System.nanoTime())) : Optional.empty();
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    private final class Stream<Q> implements ServerStream<Q> {
        private final Parser<Q> parser;
        private boolean ended;

        Stream(Parser<Q> parser) {
            this.parser = parser;
        }

        @Override
        public Q receive() throws InterruptedException {
            if (ended) {
                return null;
            }
            Object next = inbound.take();
            if (next instanceof ByteString b) {
                unread.addAndGet(-b.size());
            }
            if (next == END) {
                ended = true;
                if (cancelled) {
                    throw new TtrpcException(Code.CANCELLED, "stream cancelled");
                }
                return null;
            }
            return parse(parser, (ByteString) next);
        }

        @Override
        public void send(Message message) {
            if (done.get()) {
                throw new TtrpcException(Code.CANCELLED, "stream " + service + "/" + method + " already finished");
            }
            byte[] bytes = message.toByteArray();
            if (bytes.length > Frame.MAX_PAYLOAD) {
                throw new TtrpcException(Code.RESOURCE_EXHAUSTED, "message length " + bytes.length
                        + " exceeds maximum message size of " + Frame.MAX_PAYLOAD);
            }
            Frame frame = new Frame(streamId, Frame.TYPE_DATA, (byte) 0, Unpooled.wrappedBuffer(bytes));
            if (channel.isWritable()) {
                writer.send(frame);
                return;
            }
            // No flow control in ttrpc: wait for the socket to drain so a fast producer cannot exhaust memory.
            CountDownLatch written = new CountDownLatch(1);
            writer.send(frame, f -> written.countDown(), null);
            try {
                written.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TtrpcException(Code.CANCELLED, "interrupted while sending on " + service + "/" + method, e);
            }
        }
    }
}
