package io.katacc.ttrpc.wire;

import io.netty.handler.codec.DecoderException;

/** The connection ended in the middle of a frame. */
public final class TruncatedFrameException extends DecoderException {
    public TruncatedFrameException(String message) {
        super(message);
    }
}
