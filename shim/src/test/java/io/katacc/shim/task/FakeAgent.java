package io.katacc.shim.task;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import io.katacc.agent.api.CreateContainerRequest;
import io.katacc.agent.api.ExecProcessRequest;
import io.katacc.agent.api.ReadStreamRequest;
import io.katacc.agent.api.ReadStreamResponse;
import io.katacc.agent.api.RemoveContainerRequest;
import io.katacc.agent.api.SignalProcessRequest;
import io.katacc.agent.api.StartContainerRequest;
import io.katacc.agent.api.WaitProcessRequest;
import io.katacc.agent.api.WaitProcessResponse;
import io.katacc.ttrpc.server.ServiceRegistry;
import io.katacc.ttrpc.status.Code;
import io.katacc.ttrpc.status.TtrpcException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A grpc.AgentService over real ttrpc that behaves like the agent for {@code sh -c 'echo hello; exit 3'}:
 * the init process prints hello and exits 3; exec'd processes run until signalled.
 */
final class FakeAgent {
    final List<Message> calls = new CopyOnWriteArrayList<>();
    private final Map<String, CompletableFuture<Integer>> exits = new ConcurrentHashMap<>();
    private final Map<String, Boolean> stdoutSent = new ConcurrentHashMap<>();
    private final Map<String, Boolean> oomSent = new ConcurrentHashMap<>();

    private CompletableFuture<Integer> exit(String cid, String exec) {
        return exits.computeIfAbsent(cid + "/" + exec, k -> new CompletableFuture<>());
    }

    ServiceRegistry registry() {
        String s = "grpc.AgentService";
        return new ServiceRegistry()
                .unary(s, "CreateContainer", CreateContainerRequest.parser(), (q, c) -> record(q))
                .unary(s, "StartContainer", StartContainerRequest.parser(), (q, c) -> {
                    record(q);
                    return Empty.getDefaultInstance();
                })
                .unary(s, "ExecProcess", ExecProcessRequest.parser(), (q, c) -> record(q))
                .unary(s, "SignalProcess", SignalProcessRequest.parser(), (q, c) -> {
                    record(q);
                    exit(q.getContainerId(), q.getExecId()).complete(128 + q.getSignal());
                    return Empty.getDefaultInstance();
                })
                .unary(s, "WaitProcess", WaitProcessRequest.parser(), (q, c) -> WaitProcessResponse.newBuilder()
                        .setStatus(exit(q.getContainerId(), q.getExecId()).get()).build())
                .unary(s, "ReadStdout", ReadStreamRequest.parser(), (q, c) -> {
                    if (q.getExecId().isEmpty() && stdoutSent.putIfAbsent(q.getContainerId(), true) == null) {
                        return ReadStreamResponse.newBuilder().setData(ByteString.copyFrom("hello\n", StandardCharsets.UTF_8)).build();
                    }
                    if (q.getExecId().isEmpty()) {
                        exit(q.getContainerId(), "").complete(3); // output done: the shell exits 3
                    }
                    exit(q.getContainerId(), q.getExecId()).get();
                    throw new TtrpcException(Code.UNKNOWN, "EOF");
                })
                .unary(s, "ReadStderr", ReadStreamRequest.parser(), (q, c) -> {
                    exit(q.getContainerId(), q.getExecId()).get();
                    throw new TtrpcException(Code.UNKNOWN, "EOF");
                })
                .unary(s, "RemoveContainer", RemoveContainerRequest.parser(), (q, c) -> record(q))
                // one OOM for c1 once its init process has exited, then nothing more
                .unary(s, "GetOOMEvent", io.katacc.agent.api.GetOOMEventRequest.parser(), (q, c) -> {
                    exit("c1", "").get();
                    if (oomSent.putIfAbsent("c1", true) == null) {
                        return io.katacc.agent.api.OOMEvent.newBuilder().setContainerId("c1").build();
                    }
                    new java.util.concurrent.CompletableFuture<Void>().get();
                    throw new AssertionError("unreachable");
                });
    }

    private Message record(Message m) {
        calls.add(m);
        return Empty.getDefaultInstance();
    }
}
