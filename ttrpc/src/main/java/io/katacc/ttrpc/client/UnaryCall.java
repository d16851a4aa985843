package io.katacc.ttrpc.client;

import com.google.protobuf.ByteString;
import io.katacc.ttrpc.proto.Response;
import io.katacc.ttrpc.status.Code;
import io.katacc.ttrpc.status.TtrpcException;
import io.katacc.ttrpc.wire.Frame;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

final class UnaryCall implements PendingCall {
    final CompletableFuture<ByteString> result = new CompletableFuture<>();
    /** The client-side deadline timer; touched only on the event loop. */
    Future<?> deadline;

    /** Cancels the deadline timer so answered calls do not pile up in the scheduler queue. */
    void disarm() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    public void onResponse(io.katacc.ttrpc.wire.Envelopes.DecodedResponse response) {
        disarm();
        if (response.status() != null && response.status().getCode() != Code.OK.value()) {
            result.completeExceptionally(TtrpcException.fromStatus(response.status()));
        } else {
            result.complete(response.payload());
        }
    }

    @Override
    public void onData(Frame frame) {
        result.completeExceptionally(new TtrpcException(Code.INTERNAL,
                "server sent stream data on unary stream " + frame.streamId()));
    }

    @Override
    public void fail(TtrpcException error) {
        result.completeExceptionally(error);
    }
}
