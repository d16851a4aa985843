package io.katacc.ttrpc.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import io.katacc.ttrpc.server.CallContext;
import io.katacc.ttrpc.server.ServiceRegistry;
import io.katacc.ttrpc.status.Code;
import io.katacc.ttrpc.status.TtrpcException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.TreeMap;

/**
 * The interop test service {@code kcc.test.Echo} (messages are {@code google.protobuf.BytesValue}). The Go peer
 * (src/test/go/ttrpc-peer) implements the same unary methods, so tests and the demo can swap sides.
 */
public final class EchoService {
    public static final String NAME = "kcc.test.Echo";

    private EchoService() {
    }

    public static ServiceRegistry register(ServiceRegistry registry) {
        return registry
                .unary(NAME, "Echo", BytesValue.parser(), (req, ctx) -> req)
                .unary(NAME, "Fail", BytesValue.parser(), (req, ctx) -> {
                    String[] parts = text(req).split(":", 2);
                    throw new TtrpcException(Code.of(Integer.parseInt(parts[0])), parts.length > 1 ? parts[1] : "");
                })
                .unary(NAME, "Sleep", BytesValue.parser(), (req, ctx) -> {
                    Thread.sleep(parseDuration(text(req)));
                    return req;
                })
                .unary(NAME, "Meta", BytesValue.parser(), (req, ctx) -> bytes(meta(ctx)))
                .unary(NAME, "Size", BytesValue.parser(), (req, ctx) ->
                        BytesValue.of(ByteString.copyFrom("r".repeat(Integer.parseInt(text(req))),
                                StandardCharsets.US_ASCII)))
                // streaming (ttrpc >= 1.2; Debian's Go ttrpc 1.1.1 has no streams, so Java<->Java only)
                .stream(NAME, "Split", BytesValue.parser(), (stream, ctx) -> {
                    BytesValue req = stream.receive();
                    for (char c : text(req).toCharArray()) {
                        stream.send(bytes(String.valueOf(c)));
                    }
                })
                .stream(NAME, "Concat", BytesValue.parser(), (stream, ctx) -> {
                    StringBuilder all = new StringBuilder();
                    for (BytesValue v = stream.receive(); v != null; v = stream.receive()) {
                        all.append(text(v));
                    }
                    stream.send(bytes(all.toString()));
                })
                .stream(NAME, "Chat", BytesValue.parser(), (stream, ctx) -> {
                    for (BytesValue v = stream.receive(); v != null; v = stream.receive()) {
                        stream.send(bytes("re:" + text(v)));
                    }
                });
    }

    private static String meta(CallContext ctx) {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(ctx.metadata().entries()).forEach((k, v) -> b.append(k).append('=')
                .append(String.join(",", v)).append(';'));
        return b.append("deadline=").append(ctx.remaining().isPresent()).toString();
    }

    public static BytesValue bytes(String s) {
        return BytesValue.of(ByteString.copyFromUtf8(s));
    }

    public static String text(BytesValue v) {
        return v.getValue().toStringUtf8();
    }

    /** Go-style durations as the peer sends them: "250ms", "5s". */
    static long parseDuration(String s) {
        if (s.endsWith("ms")) {
            return Long.parseLong(s.substring(0, s.length() - 2));
        }
        if (s.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1))).toMillis();
        }
        throw new TtrpcException(Code.INVALID_ARGUMENT, "bad duration '" + s + "' (want <n>ms or <n>s)");
    }
}
