package io.katacc.ttrpc.server;

import com.google.protobuf.Message;

/** The server's side of a streaming call. */
public interface ServerStream<Q> {
    /** The next message from the client, or null once the client closed its side. Blocks. */
    Q receive() throws InterruptedException;

    /** Sends one data frame to the client. */
    void send(Message message);
}
