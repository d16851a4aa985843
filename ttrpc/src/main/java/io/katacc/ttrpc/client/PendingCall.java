package io.katacc.ttrpc.client;

import io.katacc.ttrpc.wire.Envelopes.DecodedResponse;
import io.katacc.ttrpc.status.TtrpcException;
import io.katacc.ttrpc.wire.Frame;

/** A call the client is waiting on, keyed by stream id in {@link ClientSession}. */
sealed interface PendingCall permits UnaryCall, StreamCall {
    /** The final response; the call is removed from the session before this runs. */
    void onResponse(DecodedResponse response);

    void onData(Frame frame);

    void fail(TtrpcException error);
}
