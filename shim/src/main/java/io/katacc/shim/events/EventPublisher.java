package io.katacc.shim.events;

import com.google.protobuf.Message;

/** Sends task events to containerd. Publishing never blocks the caller on containerd. */
public interface EventPublisher extends AutoCloseable {
    void publish(Message event);

    /** Waits for queued events to go out. */
    @Override
    void close();
}
