package io.katacc.policy.agent;

import java.util.List;

/** The allow-all policy used when a pod carries no policy annotation. */
final class DefaultPolicy {
    private DefaultPolicy() {}

    static final List<String> REQUESTS = List.of("AddARPNeighborsRequest", "AddSwapRequest", "CloseStdinRequest",
            "CopyFileRequest", "CreateContainerRequest", "CreateSandboxRequest", "DestroySandboxRequest",
            "ExecProcessRequest", "GetMetricsRequest", "GetOOMEventRequest", "GuestDetailsRequest",
            "ListInterfacesRequest", "ListRoutesRequest", "MemHotplugByProbeRequest", "OnlineCPUMemRequest",
            "PauseContainerRequest", "PullImageRequest", "ReadStreamRequest", "RemoveContainerRequest",
            "RemoveStaleVirtiofsShareMountsRequest", "ReseedRandomDevRequest", "ResizeVolumeRequest",
            "ResumeContainerRequest", "SetGuestDateTimeRequest", "SetPolicyRequest", "SignalProcessRequest",
            "StartContainerRequest", "StartTracingRequest", "StatsContainerRequest", "StopTracingRequest",
            "TtyWinResizeRequest", "UpdateContainerRequest", "UpdateEphemeralMountsRequest",
            "UpdateInterfaceRequest", "UpdateRoutesRequest", "VolumeStatsRequest", "WaitProcessRequest",
            "WriteStreamRequest");

    static final String TEXT = build();

    private static String build() {
        StringBuilder sb = new StringBuilder("package agent_policy\n\n");
        for (String r : REQUESTS) sb.append("default ").append(r).append(" := true\n");
        sb.append("default AllowRequestsFailingPolicy := false\n");
        return sb.toString();
    }
}
