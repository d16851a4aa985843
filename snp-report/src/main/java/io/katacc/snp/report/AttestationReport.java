package io.katacc.snp.report;

import static io.katacc.snp.report.ReportLayout.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * An SEV-SNP ATTESTATION_REPORT (1184 bytes, versions 2 to 5), every field decoded.
 * {@link #parse} rejects reserved bytes that are not zero, so {@link #toBytes} gives back
 * exactly the bytes that were parsed (and therefore exactly the bytes that were signed).
 * Byte arrays are copied in and out: instances are immutable.
 */
public record AttestationReport(
        int version,
        int guestSvn,
        GuestPolicy policy,
        byte[] familyId,
        byte[] imageId,
        int vmpl,
        int signatureAlgo,
        TcbVersion currentTcb,
        PlatformInfo platformInfo,
        boolean authorKeyEn,
        boolean maskChipKey,
        SigningKey signingKey,
        byte[] reportData,
        byte[] measurement,
        byte[] hostData,
        byte[] idKeyDigest,
        byte[] authorKeyDigest,
        byte[] reportId,
        byte[] reportIdMa,
        TcbVersion reportedTcb,
        int cpuidFamily,
        int cpuidModel,
        int cpuidStepping,
        byte[] chipId,
        TcbVersion committedTcb,
        int currentBuild,
        int currentMinor,
        int currentMajor,
        int committedBuild,
        int committedMinor,
        int committedMajor,
        TcbVersion launchTcb,
        long launchMitVector,
        long currentMitVector,
        byte[] signatureR,
        byte[] signatureS) {

    public static final int MIN_VERSION = 2;
    public static final int MAX_VERSION = 5;

    public AttestationReport {
        if (version < MIN_VERSION || version > MAX_VERSION) {
            throw new ReportFormatException("report version " + version + " is not supported (expected "
                    + MIN_VERSION + ".." + MAX_VERSION + ")");
        }
        familyId = fixed("FAMILY_ID", familyId, 16);
        imageId = fixed("IMAGE_ID", imageId, 16);
        reportData = fixed("REPORT_DATA", reportData, 64);
        measurement = fixed("MEASUREMENT", measurement, 48);
        hostData = fixed("HOST_DATA", hostData, 32);
        idKeyDigest = fixed("ID_KEY_DIGEST", idKeyDigest, 48);
        authorKeyDigest = fixed("AUTHOR_KEY_DIGEST", authorKeyDigest, 48);
        reportId = fixed("REPORT_ID", reportId, 32);
        reportIdMa = fixed("REPORT_ID_MA", reportIdMa, 32);
        chipId = fixed("CHIP_ID", chipId, 64);
        signatureR = fixed("SIGNATURE.R", signatureR, SIGNATURE_COMPONENT_SIZE);
        signatureS = fixed("SIGNATURE.S", signatureS, SIGNATURE_COMPONENT_SIZE);
        for (int v : new int[] {cpuidFamily, cpuidModel, cpuidStepping, currentBuild, currentMinor, currentMajor,
            committedBuild, committedMinor, committedMajor}) {
            if (v < 0 || v > 255) {
                throw new ReportFormatException("byte-sized field out of range: " + v);
            }
        }
        if (version < 3 && (cpuidFamily | cpuidModel | cpuidStepping) != 0) {
            throw new ReportFormatException("CPUID_FAM/MOD/STEP exist only in report version 3 and later");
        }
        if (version < 4 && (launchMitVector | currentMitVector) != 0) {
            throw new ReportFormatException("mitigation vectors exist only in report version 4 and later");
        }
    }

    private static byte[] fixed(String name, byte[] b, int len) {
        if (b == null || b.length != len) {
            throw new ReportFormatException(name + " must be " + len + " bytes, got "
                    + (b == null ? "null" : b.length));
        }
        return b.clone();
    }

    /** Parses exactly {@link ReportLayout#SIZE} bytes. */
    public static AttestationReport parse(byte[] bytes) {
        if (bytes == null) {
            throw new ReportFormatException("no report bytes");
        }
        if (bytes.length != SIZE) {
            throw new ReportFormatException("attestation report must be " + SIZE + " bytes, got " + bytes.length
                    + (bytes.length < SIZE ? " (truncated)" : " (trailing data)"));
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int version = b.getInt(VERSION);
        if (version < MIN_VERSION || version > MAX_VERSION) {
            throw new ReportFormatException("report version " + version + " is not supported (expected "
                    + MIN_VERSION + ".." + MAX_VERSION + ")");
        }
        int algo = b.getInt(SIGNATURE_ALGO);
        int flags = b.getInt(FLAGS);
        if ((flags & ~0x1F) != 0) {
            throw new ReportFormatException(String.format("reserved flag bits set at 0x48: 0x%08x", flags));
        }
        zero(bytes, RESERVED0, 4, "reserved 0x04C");
        zero(bytes, version >= 3 ? RESERVED1 : CPUID_FAM_ID, CHIP_ID - (version >= 3 ? RESERVED1 : CPUID_FAM_ID),
                "reserved 0x" + Integer.toHexString(version >= 3 ? RESERVED1 : CPUID_FAM_ID));
        zero(bytes, CURRENT_MAJOR + 1, 1, "reserved 0x1EB");
        zero(bytes, COMMITTED_MAJOR + 1, 1, "reserved 0x1EF");
        zero(bytes, version >= 4 ? RESERVED2 : LAUNCH_MIT_VECTOR,
                SIGNED_END - (version >= 4 ? RESERVED2 : LAUNCH_MIT_VECTOR),
                "reserved 0x" + Integer.toHexString(version >= 4 ? RESERVED2 : LAUNCH_MIT_VECTOR));
        zero(bytes, SIGNATURE_RESERVED, SIZE - SIGNATURE_RESERVED, "reserved signature bytes 0x330");
        return new AttestationReport(
                version,
                b.getInt(GUEST_SVN),
                new GuestPolicy(b.getLong(POLICY)),
                slice(bytes, FAMILY_ID, 16),
                slice(bytes, IMAGE_ID, 16),
                b.getInt(VMPL),
                algo,
                new TcbVersion(b.getLong(CURRENT_TCB)),
                new PlatformInfo(b.getLong(PLATFORM_INFO)),
                (flags & 1) != 0,
                (flags & 2) != 0,
                SigningKey.fromCode(flags >>> 2 & 7),
                slice(bytes, REPORT_DATA, 64),
                slice(bytes, MEASUREMENT, 48),
                slice(bytes, HOST_DATA, 32),
                slice(bytes, ID_KEY_DIGEST, 48),
                slice(bytes, AUTHOR_KEY_DIGEST, 48),
                slice(bytes, REPORT_ID, 32),
                slice(bytes, REPORT_ID_MA, 32),
                new TcbVersion(b.getLong(REPORTED_TCB)),
                u8(bytes, CPUID_FAM_ID),
                u8(bytes, CPUID_MOD_ID),
                u8(bytes, CPUID_STEP),
                slice(bytes, CHIP_ID, 64),
                new TcbVersion(b.getLong(COMMITTED_TCB)),
                u8(bytes, CURRENT_BUILD),
                u8(bytes, CURRENT_MINOR),
                u8(bytes, CURRENT_MAJOR),
                u8(bytes, COMMITTED_BUILD),
                u8(bytes, COMMITTED_MINOR),
                u8(bytes, COMMITTED_MAJOR),
                new TcbVersion(b.getLong(LAUNCH_TCB)),
                b.getLong(LAUNCH_MIT_VECTOR),
                b.getLong(CURRENT_MIT_VECTOR),
                slice(bytes, SIGNATURE_R, SIGNATURE_COMPONENT_SIZE),
                slice(bytes, SIGNATURE_S, SIGNATURE_COMPONENT_SIZE));
    }

    /** The 1184-byte wire form. */
    public byte[] toBytes() {
        byte[] out = new byte[SIZE];
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(VERSION, version);
        b.putInt(GUEST_SVN, guestSvn);
        b.putLong(POLICY, policy.raw());
        b.put(FAMILY_ID, familyId);
        b.put(IMAGE_ID, imageId);
        b.putInt(VMPL, vmpl);
        b.putInt(SIGNATURE_ALGO, signatureAlgo);
        b.putLong(CURRENT_TCB, currentTcb.raw());
        b.putLong(PLATFORM_INFO, platformInfo.raw());
        b.putInt(FLAGS, (authorKeyEn ? 1 : 0) | (maskChipKey ? 2 : 0) | signingKey.code() << 2);
        b.put(REPORT_DATA, reportData);
        b.put(MEASUREMENT, measurement);
        b.put(HOST_DATA, hostData);
        b.put(ID_KEY_DIGEST, idKeyDigest);
        b.put(AUTHOR_KEY_DIGEST, authorKeyDigest);
        b.put(REPORT_ID, reportId);
        b.put(REPORT_ID_MA, reportIdMa);
        b.putLong(REPORTED_TCB, reportedTcb.raw());
        out[CPUID_FAM_ID] = (byte) cpuidFamily;
        out[CPUID_MOD_ID] = (byte) cpuidModel;
        out[CPUID_STEP] = (byte) cpuidStepping;
        b.put(CHIP_ID, chipId);
        b.putLong(COMMITTED_TCB, committedTcb.raw());
        out[CURRENT_BUILD] = (byte) currentBuild;
        out[CURRENT_MINOR] = (byte) currentMinor;
        out[CURRENT_MAJOR] = (byte) currentMajor;
        out[COMMITTED_BUILD] = (byte) committedBuild;
        out[COMMITTED_MINOR] = (byte) committedMinor;
        out[COMMITTED_MAJOR] = (byte) committedMajor;
        b.putLong(LAUNCH_TCB, launchTcb.raw());
        b.putLong(LAUNCH_MIT_VECTOR, launchMitVector);
        b.putLong(CURRENT_MIT_VECTOR, currentMitVector);
        b.put(SIGNATURE_R, signatureR);
        b.put(SIGNATURE_S, signatureS);
        return out;
    }

    /** The bytes the signature covers: offsets 0x000 to 0x29F. */
    public byte[] signedBytes() {
        return Arrays.copyOf(toBytes(), SIGNED_END);
    }

    /** A copy of this report with a new signature (r and s little-endian, 72 bytes each). */
    public AttestationReport withSignature(byte[] r, byte[] s) {
        return new AttestationReport(version, guestSvn, policy, familyId, imageId, vmpl, signatureAlgo, currentTcb,
                platformInfo, authorKeyEn, maskChipKey, signingKey, reportData, measurement, hostData, idKeyDigest,
                authorKeyDigest, reportId, reportIdMa, reportedTcb, cpuidFamily, cpuidModel, cpuidStepping, chipId,
                committedTcb, currentBuild, currentMinor, currentMajor, committedBuild, committedMinor,
                committedMajor, launchTcb, launchMitVector, currentMitVector, r, s);
    }

    /** The generation named by CPUID fields (v3+ reports only; v2 reports do not say). */
    public Optional<CpuGeneration> cpuGeneration() {
        return version >= 3 ? CpuGeneration.fromCpuid(cpuidFamily, cpuidModel) : Optional.empty();
    }

    // Accessors hand out copies so the record stays immutable.
    @Override public byte[] familyId() { return familyId.clone(); }
    @Override public byte[] imageId() { return imageId.clone(); }
    @Override public byte[] reportData() { return reportData.clone(); }
    @Override public byte[] measurement() { return measurement.clone(); }
    @Override public byte[] hostData() { return hostData.clone(); }
    @Override public byte[] idKeyDigest() { return idKeyDigest.clone(); }
    @Override public byte[] authorKeyDigest() { return authorKeyDigest.clone(); }
    @Override public byte[] reportId() { return reportId.clone(); }
    @Override public byte[] reportIdMa() { return reportIdMa.clone(); }
    @Override public byte[] chipId() { return chipId.clone(); }
    @Override public byte[] signatureR() { return signatureR.clone(); }
    @Override public byte[] signatureS() { return signatureS.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttestationReport r && Arrays.equals(toBytes(), r.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }

    @Override
    public String toString() {
        return "AttestationReport[v" + version + ", policy=" + policy + ", reportedTcb=" + reportedTcb
                + ", measurement=" + HexFormat.of().formatHex(measurement) + "]";
    }

    private static void zero(byte[] b, int off, int len, String what) {
        for (int i = off; i < off + len; i++) {
            if (b[i] != 0) {
                throw new ReportFormatException(String.format("%s must be zero, byte at 0x%03x is 0x%02x",
                        what, i, b[i] & 0xFF));
            }
        }
    }

    private static byte[] slice(byte[] b, int off, int len) {
        return Arrays.copyOfRange(b, off, off + len);
    }

    private static int u8(byte[] b, int off) {
        return b[off] & 0xFF;
    }
}
