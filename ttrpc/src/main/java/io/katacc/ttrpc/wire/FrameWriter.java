package io.katacc.ttrpc.wire;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPromise;

import java.nio.channels.ClosedChannelException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends frames from any thread with one event-loop task and one flush per burst instead of per frame: under
 * concurrent calls many responses share a single writev, and the loop is woken once.
 */
public final class FrameWriter {
    /** {@code frame}, or {@code lazy} to build it on the loop; {@code onDiscard} runs if it is never written. */
    private record Pending(Frame frame, java.util.function.Supplier<Frame> lazy, ChannelFutureListener listener,
                           Runnable onLoop, Runnable onDiscard) {
    }

    private final Channel channel;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;

    public FrameWriter(Channel channel) {
        this.channel = channel;
    }

    /**
     * Queues {@code frame}; {@code listener} (nullable) sees the write's outcome; {@code onLoop} (nullable) runs on
     * the event loop just before the write (cheap place to arm timers). False if the loop is gone.
     */
    public boolean send(Frame frame, ChannelFutureListener listener, Runnable onLoop) {
        return enqueue(new Pending(frame, null, listener, onLoop, null));
    }

    /**
     * Queues a frame built on the event loop, in queue order: what only the loop may decide (a client's next
     * stream id) needs no lock. {@code onDiscard} (nullable) runs instead if the connection is gone by then.
     */
    public boolean sendLazy(java.util.function.Supplier<Frame> frame, Runnable onDiscard) {
        return enqueue(new Pending(null, frame, null, null, onDiscard));
    }

    private boolean enqueue(Pending pending) {
        queue.add(pending);
        if (scheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                discard();
                return false;
            }
        }
        return true;
    }

    public boolean send(Frame frame) {
        return send(frame, null, null);
    }

    private void drain() {
        scheduled.set(false);
        if (!channel.isActive()) {
            // peer gone: a write would only fail (and a void promise would turn that into exceptionCaught)
            discard();
            return;
        }
        Pending p;
        boolean wrote = false;
        while ((p = queue.poll()) != null) {
            if (p.onLoop() != null) {
                p.onLoop().run();
            }
            Frame frame = p.frame() != null ? p.frame() : p.lazy().get();
            if (p.listener() == null) {
                channel.write(frame, channel.voidPromise());
            } else {
                ChannelPromise promise = channel.newPromise();
                promise.addListener(p.listener());
                channel.write(frame, promise);
            }
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    private void discard() {
        Pending p;
        while ((p = queue.poll()) != null) {
            if (p.frame() != null) {
                p.frame().release();
            }
            if (p.onDiscard() != null) {
                p.onDiscard().run();
            }
            if (p.listener() != null) {
                try {
                    p.listener().operationComplete(channel.newFailedFuture(new ClosedChannelException()));
                } catch (Exception e) {
                    // a listener failing must not stop the others from hearing about the closed channel
                }
            }
        }
    }
}
