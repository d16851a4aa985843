package io.katacc.ttrpc.client;

import com.google.protobuf.Message;

/** The client's side of a streaming call (ttrpc >= 1.2). */
public interface ClientStream<R> extends AutoCloseable {
    /** Sends one message as a data frame (only for client-streaming calls). */
    void send(Message message);

    /** Tells the server no more messages follow. */
    void closeSend();

    /**
     * The next message from the server, or null when the server ended the stream with OK. Throws
     * {@link io.katacc.ttrpc.status.TtrpcException} for an error status, the deadline, or a lost connection.
     */
    R receive();

    /** Stops waiting for the stream; does not notify the server beyond closing the send side. */
    @Override
    void close();
}
