package io.katacc.shim.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.katacc.agent.api.CgroupStats;
import io.katacc.agent.api.CpuStats;
import io.katacc.agent.api.CpuUsage;
import io.katacc.agent.api.MemoryData;
import io.katacc.agent.api.MemoryStats;
import io.katacc.agent.api.PidsStats;
import io.katacc.agent.api.StatsContainerResponse;
import io.katacc.shim.api.cgroups.v1.Metrics;
import org.junit.jupiter.api.Test;

class MetricsMapperTest {
    @Test
    void agentStatsBecomeContainerdsV1Metrics() throws Exception {
        StatsContainerResponse r = StatsContainerResponse.newBuilder().setCgroupStats(CgroupStats.newBuilder()
                .setPidsStats(PidsStats.newBuilder().setCurrent(3).setLimit(64))
                .setCpuStats(CpuStats.newBuilder().setCpuUsage(CpuUsage.newBuilder().setTotalUsage(1000)
                        .setUsageInKernelmode(300).setUsageInUsermode(700).addPercpuUsage(600).addPercpuUsage(400)))
                .setMemoryStats(MemoryStats.newBuilder().setCache(4096).putStats("anon", 8192)
                        .setUsage(MemoryData.newBuilder().setUsage(12288).setLimit(1 << 26).setMaxUsage(20000))))
                .build();
        var any = MetricsMapper.toAny(r);
        assertEquals("io.containerd.cgroups.v1.Metrics", any.getTypeUrl());
        Metrics m = Metrics.parseFrom(any.getValue());
        assertEquals(3, m.getPids().getCurrent());
        assertEquals(64, m.getPids().getLimit());
        assertEquals(1000, m.getCpu().getUsage().getTotal());
        assertEquals(2, m.getCpu().getUsage().getPerCpuCount());
        assertEquals(8192, m.getMemory().getRss(), "cgroup v2's anon stands in for v1's rss");
        assertEquals(12288, m.getMemory().getUsage().getUsage());
        assertEquals(1 << 26, m.getMemory().getUsage().getLimit());
        assertEquals(20000, m.getMemory().getUsage().getMax());
    }
}
