package io.katacc.agent.container;

import io.katacc.agent.error.AgentException;
import com.fasterxml.jackson.databind.JsonNode;
import io.katacc.agent.api.BlkioStats;
import io.katacc.agent.api.BlkioStatsEntry;
import io.katacc.agent.api.CgroupStats;
import io.katacc.agent.api.CpuStats;
import io.katacc.agent.api.CpuUsage;
import io.katacc.agent.api.HugetlbStats;
import io.katacc.agent.api.MemoryData;
import io.katacc.agent.api.MemoryStats;
import io.katacc.agent.api.PidsStats;
import io.katacc.agent.api.StatsContainerResponse;
import io.katacc.agent.api.ThrottlingData;
import java.util.function.Consumer;

/** runc's {@code events --stats} document (cgroup v1 or v2, read by runc) as the agent API's stats. */
final class StatsMapper {

    private StatsMapper() {
    }

    static StatsContainerResponse fromRuncEvent(JsonNode event) {
        JsonNode d = event.path("data");
        if (!"stats".equals(event.path("type").asText())) {
            throw new AgentException(AgentException.Kind.INTERNAL, "runc events returned no stats: " + event);
        }
        CgroupStats.Builder cg = CgroupStats.newBuilder();
        JsonNode cpu = d.path("cpu");
        CpuUsage.Builder usage = CpuUsage.newBuilder()
                .setTotalUsage(cpu.path("usage").path("total").asLong())
                .setUsageInKernelmode(cpu.path("usage").path("kernel").asLong())
                .setUsageInUsermode(cpu.path("usage").path("user").asLong());
        cpu.path("usage").path("percpu").forEach(v -> usage.addPercpuUsage(v.asLong()));
        JsonNode th = cpu.path("throttling");
        cg.setCpuStats(CpuStats.newBuilder().setCpuUsage(usage).setThrottlingData(ThrottlingData.newBuilder()
                .setPeriods(th.path("periods").asLong()).setThrottledPeriods(th.path("throttledPeriods").asLong())
                .setThrottledTime(th.path("throttledTime").asLong())));
        JsonNode mem = d.path("memory");
        MemoryStats.Builder ms = MemoryStats.newBuilder().setCache(mem.path("cache").asLong())
                .setUsage(memoryData(mem.path("usage"))).setSwapUsage(memoryData(mem.path("swap")))
                .setKernelUsage(memoryData(mem.path("kernel")))
                .setUseHierarchy(mem.path("use_hierarchy").asBoolean(false));
        mem.path("raw").properties().forEach(e -> ms.putStats(e.getKey(), e.getValue().asLong()));
        cg.setMemoryStats(ms);
        cg.setPidsStats(PidsStats.newBuilder().setCurrent(d.path("pids").path("current").asLong())
                .setLimit(d.path("pids").path("limit").asLong()));
        JsonNode b = d.path("blkio");
        BlkioStats.Builder bs = BlkioStats.newBuilder();
        entries(b.path("ioServiceBytesRecursive"), bs::addIoServiceBytesRecursive);
        entries(b.path("ioServicedRecursive"), bs::addIoServicedRecursive);
        entries(b.path("ioQueueRecursive"), bs::addIoQueuedRecursive);
        entries(b.path("ioServiceTimeRecursive"), bs::addIoServiceTimeRecursive);
        entries(b.path("ioWaitTimeRecursive"), bs::addIoWaitTimeRecursive);
        entries(b.path("ioMergedRecursive"), bs::addIoMergedRecursive);
        entries(b.path("ioTimeRecursive"), bs::addIoTimeRecursive);
        entries(b.path("sectorsRecursive"), bs::addSectorsRecursive);
        cg.setBlkioStats(bs);
        d.path("hugetlb").properties().forEach(e -> cg.putHugetlbStats(e.getKey(), HugetlbStats.newBuilder()
                .setUsage(e.getValue().path("usage").asLong()).setMaxUsage(e.getValue().path("max").asLong())
                .setFailcnt(e.getValue().path("failcnt").asLong()).build()));
        return StatsContainerResponse.newBuilder().setCgroupStats(cg).build();
    }

    private static MemoryData memoryData(JsonNode n) {
        return MemoryData.newBuilder().setUsage(n.path("usage").asLong()).setMaxUsage(n.path("max").asLong())
                .setFailcnt(n.path("failcnt").asLong()).setLimit(n.path("limit").asLong()).build();
    }

    private static void entries(JsonNode arr, Consumer<BlkioStatsEntry> add) {
        for (JsonNode e : arr) {
            add.accept(BlkioStatsEntry.newBuilder().setMajor(e.path("major").asLong()).setMinor(e.path("minor").asLong())
                    .setOp(e.path("op").asText()).setValue(e.path("value").asLong()).build());
        }
    }

}
