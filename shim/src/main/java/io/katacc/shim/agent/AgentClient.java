package io.katacc.shim.agent;

import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.katacc.agent.api.CloseStdinRequest;
import io.katacc.agent.api.CreateContainerRequest;
import io.katacc.agent.api.CreateSandboxRequest;
import io.katacc.agent.api.DestroySandboxRequest;
import io.katacc.agent.api.PauseContainerRequest;
import io.katacc.agent.api.ReadStreamRequest;
import io.katacc.agent.api.ReadStreamResponse;
import io.katacc.agent.api.RemoveContainerRequest;
import io.katacc.agent.api.ResumeContainerRequest;
import io.katacc.agent.api.SetPolicyRequest;
import io.katacc.agent.api.SignalProcessRequest;
import io.katacc.agent.api.StartContainerRequest;
import io.katacc.agent.api.TtyWinResizeRequest;
import io.katacc.agent.api.WaitProcessRequest;
import io.katacc.agent.api.WaitProcessResponse;
import io.katacc.agent.api.WriteStreamRequest;
import io.katacc.agent.api.WriteStreamResponse;
import io.katacc.ttrpc.client.CallOptions;
import io.katacc.ttrpc.client.TtrpcClient;

import java.time.Duration;

/** Typed calls to the guest agent's {@code grpc.AgentService} over one ttrpc connection. */
public final class AgentClient implements AutoCloseable {
    public static final String SERVICE = "grpc.AgentService";
    /** Long-poll calls (WaitProcess, ReadStdout) must outlive any request timeout: they carry none. */
    private static final CallOptions NO_DEADLINE = CallOptions.DEFAULT;

    private final TtrpcClient client;
    private final Duration timeout;

    public AgentClient(TtrpcClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    private <R> R call(String method, Message req, Parser<R> parser, Duration t) {
        return client.call(SERVICE, method, req, parser, t);
    }

    private <R> R call(String method, Message req, Parser<R> parser, CallOptions o) {
        return client.call(SERVICE, method, req, parser, o);
    }

    private void call(String method, Message req) {
        call(method, req, Empty.parser(), timeout);
    }

    public void setPolicy(String policy) {
        call("SetPolicy", SetPolicyRequest.newBuilder().setPolicy(policy).build());
    }

    public void createSandbox(CreateSandboxRequest req) {
        call("CreateSandbox", req);
    }

    public void destroySandbox() {
        call("DestroySandbox", DestroySandboxRequest.getDefaultInstance());
    }

    public void createContainer(CreateContainerRequest req) {
        call("CreateContainer", req);
    }

    public void startContainer(String id) {
        call("StartContainer", StartContainerRequest.newBuilder().setContainerId(id).build());
    }

    public void removeContainer(String id) {
        call("RemoveContainer", RemoveContainerRequest.newBuilder().setContainerId(id).build());
    }

    public void execProcess(io.katacc.agent.api.ExecProcessRequest req) {
        call("ExecProcess", req);
    }

    public void signalProcess(String id, String execId, int signal) {
        call("SignalProcess", SignalProcessRequest.newBuilder().setContainerId(id).setExecId(execId).setSignal(signal).build());
    }

    public int waitProcess(String id, String execId) {
        return call("WaitProcess", WaitProcessRequest.newBuilder().setContainerId(id).setExecId(execId).build(),
                WaitProcessResponse.parser(), NO_DEADLINE).getStatus();
    }

    public void pauseContainer(String id) {
        call("PauseContainer", PauseContainerRequest.newBuilder().setContainerId(id).build());
    }

    public void resumeContainer(String id) {
        call("ResumeContainer", ResumeContainerRequest.newBuilder().setContainerId(id).build());
    }

    public int writeStdin(String id, String execId, byte[] data) {
        return call("WriteStdin", WriteStreamRequest.newBuilder().setContainerId(id).setExecId(execId)
                .setData(com.google.protobuf.ByteString.copyFrom(data)).build(), WriteStreamResponse.parser(), timeout).getLen();
    }

    /** Blocks until output is available; the agent answers with an error once the stream is finished. */
    public byte[] read(boolean stderr, String id, String execId, int max) {
        return call(stderr ? "ReadStderr" : "ReadStdout", ReadStreamRequest.newBuilder().setContainerId(id)
                .setExecId(execId).setLen(max).build(), ReadStreamResponse.parser(), NO_DEADLINE).getData().toByteArray();
    }

    /** Long-poll: returns the id of the next container the guest OOM-killed. */
    public String nextOomEvent() {
        return call("GetOOMEvent", io.katacc.agent.api.GetOOMEventRequest.getDefaultInstance(),
                io.katacc.agent.api.OOMEvent.parser(), NO_DEADLINE).getContainerId();
    }

    public void closeStdin(String id, String execId) {
        call("CloseStdin", CloseStdinRequest.newBuilder().setContainerId(id).setExecId(execId).build());
    }

    public void ttyWinResize(String id, String execId, int rows, int cols) {
        call("TtyWinResize", TtyWinResizeRequest.newBuilder().setContainerId(id).setExecId(execId)
                .setRow(rows).setColumn(cols).build());
    }

    public void updateContainer(String id, io.katacc.agent.api.LinuxResources resources) {
        call("UpdateContainer", io.katacc.agent.api.UpdateContainerRequest.newBuilder().setContainerId(id)
                .setResources(resources).build());
    }

    public io.katacc.agent.api.StatsContainerResponse statsContainer(String id) {
        return call("StatsContainer", io.katacc.agent.api.StatsContainerRequest.newBuilder().setContainerId(id).build(),
                io.katacc.agent.api.StatsContainerResponse.parser(), timeout);
    }

    @Override
    public void close() {
        client.close();
    }
}
