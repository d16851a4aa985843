package io.katacc.agent.policy;

import com.google.protobuf.Message;
import io.katacc.agent.error.AgentException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every AgentService request passes here before the agent acts on it. Evaluations are
 * serialised: the policy state ({@code data.pstate}) depends on request order.
 */
public final class PolicyGate {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyGate.class);

    private final PolicyEngine engine;
    private final PolicyInputWriter writer;
    private final ReentrantLock lock = new ReentrantLock();

    public PolicyGate(PolicyEngine engine, PolicyInputShape shape) {
        this.engine = engine;
        this.writer = new PolicyInputWriter(shape);
    }

    /** Throws PERMISSION_DENIED "{@code <Entry> is blocked by policy: <prints>}" unless the policy allows. */
    public void check(Message request) {
        check(AgentRequests.entryPoint(request), writer.toJson(request).toString());
    }

    /** For requests that are not AgentService messages (the attestation endpoint's GetEvidenceRequest). */
    public void check(String entry, String input) {
        Decision d;
        lock.lock();
        try {
            d = engine.decide(entry, input);
        } catch (Exception e) {
            throw new AgentException(AgentException.Kind.INTERNAL, entry + ": internal error " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
        if (!d.allowed()) {
            LOG.warn("policy denied {}", entry);
            throw new AgentException(AgentException.Kind.PERMISSION_DENIED, entry + " is blocked by policy: " + d.prints());
        }
    }

    /** Replaces the policy under the same lock as evaluations, so no request sees half a change. */
    public void replace(String policyText) {
        lock.lock();
        try {
            engine.replace(policyText);
        } catch (Exception e) {
            throw new AgentException(AgentException.Kind.INVALID_ARGUMENT, "policy rejected: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }
}
