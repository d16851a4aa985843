package io.katacc.ttrpc.client;

import com.google.protobuf.ByteString;
import io.katacc.ttrpc.proto.Response;
import io.katacc.ttrpc.status.Code;
import io.katacc.ttrpc.status.TtrpcException;
import io.katacc.ttrpc.wire.Frame;

import java.util.concurrent.CompletableFuture;

final class UnaryCall implements PendingCall {
    final CompletableFuture<ByteString> result = new CompletableFuture<>();

    @Override
    public void onResponse(Response response) {
        if (response.hasStatus() && response.getStatus().getCode() != Code.OK.value()) {
            result.completeExceptionally(TtrpcException.fromStatus(response.getStatus()));
        } else {
            result.complete(response.getPayload());
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
