package io.katacc.shim.task;

import com.google.protobuf.Any;
import io.katacc.agent.api.CgroupStats;
import io.katacc.agent.api.MemoryData;
import io.katacc.agent.api.NetworkStats;
import io.katacc.agent.api.StatsContainerResponse;
import io.katacc.shim.api.cgroups.v1.CPUStat;
import io.katacc.shim.api.cgroups.v1.CPUUsage;
import io.katacc.shim.api.cgroups.v1.MemoryEntry;
import io.katacc.shim.api.cgroups.v1.MemoryStat;
import io.katacc.shim.api.cgroups.v1.Metrics;
import io.katacc.shim.api.cgroups.v1.NetworkStat;
import io.katacc.shim.api.cgroups.v1.PidsStat;
import io.katacc.shim.api.cgroups.v1.Throttle;
import java.util.Map;

/**
 * The agent's container stats as the cgroup v1 {@code Metrics} containerd decodes from a StatsResponse,
 * as Kata's shim does (whatever cgroup version the guest runs, containerd gets one shape).
 */
public final class MetricsMapper {
    /** containerd's typeurl for the message: its full protobuf name. */
    public static final String TYPE_URL = "io.containerd.cgroups.v1.Metrics";

    private MetricsMapper() {
    }

    public static Any toAny(StatsContainerResponse r) {
        return Any.newBuilder().setTypeUrl(TYPE_URL).setValue(toMetrics(r).toByteString()).build();
    }

    public static Metrics toMetrics(StatsContainerResponse r) {
        Metrics.Builder m = Metrics.newBuilder();
        CgroupStats cg = r.getCgroupStats();
        if (cg.hasPidsStats()) {
            m.setPids(PidsStat.newBuilder().setCurrent(cg.getPidsStats().getCurrent()).setLimit(cg.getPidsStats().getLimit()));
        }
        if (cg.hasCpuStats()) {
            var u = cg.getCpuStats().getCpuUsage();
            var t = cg.getCpuStats().getThrottlingData();
            m.setCpu(CPUStat.newBuilder()
                    .setUsage(CPUUsage.newBuilder().setTotal(u.getTotalUsage()).setKernel(u.getUsageInKernelmode())
                            .setUser(u.getUsageInUsermode()).addAllPerCpu(u.getPercpuUsageList()))
                    .setThrottling(Throttle.newBuilder().setPeriods(t.getPeriods()).setThrottledPeriods(t.getThrottledPeriods())
                            .setThrottledTime(t.getThrottledTime())));
        }
        if (cg.hasMemoryStats()) {
            var ms = cg.getMemoryStats();
            Map<String, Long> st = ms.getStatsMap();
            m.setMemory(MemoryStat.newBuilder().setCache(ms.getCache())
                    .setRss(st.getOrDefault("rss", st.getOrDefault("anon", 0L)))
                    .setMappedFile(st.getOrDefault("mapped_file", st.getOrDefault("file_mapped", 0L)))
                    .setPgFault(st.getOrDefault("pgfault", 0L)).setPgMajFault(st.getOrDefault("pgmajfault", 0L))
                    .setInactiveAnon(st.getOrDefault("inactive_anon", 0L)).setActiveAnon(st.getOrDefault("active_anon", 0L))
                    .setInactiveFile(st.getOrDefault("inactive_file", 0L)).setActiveFile(st.getOrDefault("active_file", 0L))
                    .setUnevictable(st.getOrDefault("unevictable", 0L))
                    .setUsage(entry(ms.getUsage())).setSwap(entry(ms.getSwapUsage())).setKernel(entry(ms.getKernelUsage())));
        }
        for (NetworkStats n : r.getNetworkStatsList()) {
            m.addNetwork(NetworkStat.newBuilder().setName(n.getName()).setRxBytes(n.getRxBytes()).setRxPackets(n.getRxPackets())
                    .setRxErrors(n.getRxErrors()).setRxDropped(n.getRxDropped()).setTxBytes(n.getTxBytes())
                    .setTxPackets(n.getTxPackets()).setTxErrors(n.getTxErrors()).setTxDropped(n.getTxDropped()));
        }
        return m.build();
    }

    private static MemoryEntry entry(MemoryData d) {
        return MemoryEntry.newBuilder().setLimit(d.getLimit()).setUsage(d.getUsage()).setMax(d.getMaxUsage())
                .setFailcnt(d.getFailcnt()).build();
    }
}
