package io.katacc.agent.attestation;

import io.katacc.agent.policy.HostData;
import io.katacc.snp.evidence.TeeEvidenceProvider;
import java.util.Optional;

/** HOST_DATA read from the VM's own SNP report. */
public final class TeeHostData implements HostData {

    private final TeeEvidenceProvider tee;

    public TeeHostData(TeeEvidenceProvider tee) {
        this.tee = tee;
    }

    @Override
    public Optional<byte[]> read() {
        return Optional.of(tee.hostData());
    }
}
