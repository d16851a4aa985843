package io.katacc.agent.server;

import io.katacc.agent.attestation.AttestationEndpoint;
import io.katacc.agent.attestation.TeeHostData;
import io.katacc.agent.error.AgentException;
import io.katacc.agent.policy.HostData;
import io.katacc.agent.policy.PolicyGate;
import io.katacc.agent.policy.PolicyInputShape;
import io.katacc.agent.policy.RegoPolicyEngine;
import io.katacc.policy.agent.AgentPolicy;
import io.katacc.snp.evidence.SevGuestEvidenceProvider;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** kata-agent replacement entry point: {@code java -cp ... io.katacc.agent.server.Main --address=...}. */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    static final Path DEFAULT_POLICY = Path.of("/etc/kata-opa/default-policy.rego");
    /** guest-components' api-server-rest default port */
    static final int ATTESTATION_PORT = 8006;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        AgentConfig config = AgentConfig.parse(args);
        io.katacc.agent.logging.LogPort logPort = null;
        if (!config.logAddress().isEmpty()) {
            try {
                logPort = io.katacc.agent.logging.LogPort.start(config.logAddress());
            } catch (java.io.IOException | RuntimeException e) {
                LOG.warn("no log port at {}: {} (console only)", config.logAddress(), e.getMessage());
            }
        }
        AgentPolicy policy = Files.isReadable(DEFAULT_POLICY)
                ? new AgentPolicy(DEFAULT_POLICY.toString(), Files.readString(DEFAULT_POLICY))
                : AgentPolicy.defaultPolicy();
        RegoPolicyEngine engine = new RegoPolicyEngine(policy);
        SevGuestEvidenceProvider sev = new SevGuestEvidenceProvider();
        HostData hostData = HostData.NONE;
        AttestationEndpoint attestation = null;
        if (sev.available()) {
            hostData = new TeeHostData(sev);
            PolicyGate evidenceGate = new PolicyGate(engine, PolicyInputShape.UPSTREAM);
            attestation = AttestationEndpoint.start(ATTESTATION_PORT, sev,
                    request -> evidenceGate.check("GetEvidenceRequest", request.policyInput()));
        } else {
            LOG.warn("no SEV-SNP guest device: not in a TEE, HOST_DATA is not checked and no attestation endpoint");
        }
        Agent agent = Agent.start(config, engine, hostData);
        long readyMs = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        LOG.info("agent start-to-ready {} ms", readyMs);
        CountDownLatch stop = new CountDownLatch(1);
        AttestationEndpoint ep = attestation;
        io.katacc.agent.logging.LogPort lp = logPort;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                agent.close();
                if (ep != null) {
                    ep.close();
                }
                if (lp != null) {
                    lp.close();
                }
            } catch (AgentException e) {
                LOG.warn("shutdown: {}", e.getMessage());
            }
            stop.countDown();
        }));
        stop.await();
    }
}
