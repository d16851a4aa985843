package io.katacc.snp.verify;

import io.katacc.snp.report.TcbVersion;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a report must contain beyond a valid signature. Empty optionals mean "not checked".
 * {@code now} is the instant certificate validity is checked at (empty: the current time).
 */
public record VerificationOptions(
        Optional<byte[]> hostData,
        Optional<byte[]> reportData,
        Optional<byte[]> measurement,
        Optional<TcbVersion.Parts> minimumTcb,
        boolean requireDebugDisabled,
        OptionalInt vmpl,
        Optional<Instant> now) {

    public VerificationOptions {
        hostData = copy(hostData, 32, "HOST_DATA");
        reportData = copy(reportData, 64, "REPORT_DATA");
        measurement = copy(measurement, 48, "MEASUREMENT");
    }

    public static VerificationOptions defaults() {
        return new VerificationOptions(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false,
                OptionalInt.empty(), Optional.empty());
    }

    public VerificationOptions withHostData(byte[] v) {
        return new VerificationOptions(Optional.of(v), reportData, measurement, minimumTcb, requireDebugDisabled,
                vmpl, now);
    }

    public VerificationOptions withReportData(byte[] v) {
        return new VerificationOptions(hostData, Optional.of(v), measurement, minimumTcb, requireDebugDisabled,
                vmpl, now);
    }

    public VerificationOptions withMeasurement(byte[] v) {
        return new VerificationOptions(hostData, reportData, Optional.of(v), minimumTcb, requireDebugDisabled,
                vmpl, now);
    }

    public VerificationOptions withMinimumTcb(TcbVersion.Parts v) {
        return new VerificationOptions(hostData, reportData, measurement, Optional.of(v), requireDebugDisabled,
                vmpl, now);
    }

    public VerificationOptions withDebugDisabled() {
        return new VerificationOptions(hostData, reportData, measurement, minimumTcb, true, vmpl, now);
    }

    public VerificationOptions withVmpl(int v) {
        return new VerificationOptions(hostData, reportData, measurement, minimumTcb, requireDebugDisabled,
                OptionalInt.of(v), now);
    }

    public VerificationOptions at(Instant t) {
        return new VerificationOptions(hostData, reportData, measurement, minimumTcb, requireDebugDisabled, vmpl,
                Optional.of(t));
    }

    private static Optional<byte[]> copy(Optional<byte[]> v, int len, String name) {
        if (v.isPresent() && v.get().length != len) {
            throw new IllegalArgumentException(name + " must be " + len + " bytes, got " + v.get().length);
        }
        return v.map(byte[]::clone);
    }
}
