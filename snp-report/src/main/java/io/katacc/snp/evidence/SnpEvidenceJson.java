package io.katacc.snp.evidence;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.katacc.snp.device.CertTable;
import io.katacc.snp.report.AttestationReport;
import io.katacc.snp.report.CpuGeneration;
import io.katacc.snp.report.GuestPolicy;
import io.katacc.snp.report.PlatformInfo;
import io.katacc.snp.report.ReportFormatException;
import io.katacc.snp.report.SigningKey;
import io.katacc.snp.report.TcbVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * SNP evidence as CoCo guest-components (v0.21) sends it: the serde JSON of
 * {@code SnpEvidence { attestation_report: sev 6.3 AttestationReport, cert_chain: Option<Vec<CertTableEntry>> }}.
 * Byte arrays are JSON arrays of integers, bit-field words are bare numbers, fields come in the
 * crate's declaration order. trustee rebuilds the signed bytes from these fields, so {@link #render}
 * refuses a report that the shape cannot carry exactly, and {@link #parse} gives back the very bytes.
 *
 * <p>TCB layout: from CPUID for report version 3 and later; a version 2 report has no CPUID, so, as
 * sev 6.3 does, a CHIP_ID whose last 56 bytes are zero means Turin and anything else Milan/Genoa
 * (including an all-zero, masked CHIP_ID, which sev itself refuses to parse).
 */
public final class SnpEvidenceJson {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper READER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final UUID EMPTY = new UUID(0, 0);
    private static final Map<UUID, String> TYPE_NAMES = new LinkedHashMap<>();
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    /** The first version whose report the sev 6.3 shape gives mitigation vectors. */
    private static final int MIT_VECTOR_VERSION = 5;

    static {
        TYPE_NAMES.put(CertTable.ARK, "ARK");
        TYPE_NAMES.put(CertTable.ASK, "ASK");
        TYPE_NAMES.put(CertTable.VCEK, "VCEK");
        TYPE_NAMES.put(CertTable.VLEK, "VLEK");
        TYPE_NAMES.put(CertTable.CRL, "CRL");
        TYPE_NAMES.put(EMPTY, "Empty");
    }

    private static final List<String> TOP = List.of("attestation_report", "cert_chain");
    private static final List<String> REPORT = List.of("version", "guest_svn", "policy", "family_id", "image_id",
            "vmpl", "sig_algo", "current_tcb", "plat_info", "key_info", "report_data", "measurement", "host_data",
            "id_key_digest", "author_key_digest", "report_id", "report_id_ma", "reported_tcb", "cpuid_fam_id",
            "cpuid_mod_id", "cpuid_step", "chip_id", "committed_tcb", "current", "committed", "launch_tcb",
            "launch_mit_vector", "current_mit_vector", "signature");
    private static final List<String> TCB = List.of("fmc", "bootloader", "tee", "snp", "microcode");
    private static final List<String> VERSION = List.of("major", "minor", "build");
    private static final List<String> SIGNATURE = List.of("r", "s");
    private static final List<String> CERT = List.of("cert_type", "data");

    private SnpEvidenceJson() {
    }

    /** The field names of the report object, in the order they are written. */
    public static List<String> reportFieldNames() {
        return REPORT;
    }

    /** The name sev gives a certificate-table GUID ("VCEK", ...), empty for other GUIDs. */
    public static Optional<String> certTypeName(UUID guid) {
        return Optional.ofNullable(TYPE_NAMES.get(guid));
    }

    /**
     * The TCB layout sev 6.3 reads and writes this report with; empty when CPUID names no known
     * generation (sev refuses such a report).
     */
    public static Optional<CpuGeneration> tcbLayout(int version, int cpuidFamily, int cpuidModel, byte[] chipId) {
        if (version >= 3) {
            return CpuGeneration.fromCpuid(cpuidFamily, cpuidModel);
        }
        boolean tailZero = true;
        boolean allZero = true;
        for (int i = 0; i < chipId.length; i++) {
            if (chipId[i] != 0) {
                allZero = false;
                tailZero &= i < 8;
            }
        }
        return Optional.of(!allZero && tailZero ? CpuGeneration.TURIN : CpuGeneration.MILAN);
    }

    // ---------------------------------------------------------------- rendering

    /**
     * Compact UTF-8 JSON of the evidence.
     *
     * @throws ReportFormatException if the report bytes are malformed
     * @throws EvidenceException if the sev 6.3 shape cannot carry this report without loss
     */
    public static byte[] render(SnpEvidence evidence) {
        AttestationReport r = AttestationReport.parse(evidence.report());
        CpuGeneration layout = tcbLayout(r.version(), r.cpuidFamily(), r.cpuidModel(), r.chipId())
                .orElseThrow(() -> new EvidenceException(String.format("report CPUID family 0x%02x model 0x%02x is "
                        + "no generation with a known TCB layout (Milan, Genoa, Turin)", r.cpuidFamily(),
                        r.cpuidModel())));
        checkRepresentable(r, layout);
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096 + 4 * evidence.certificates().stream()
                .mapToInt(e -> e.data().length).sum());
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("attestation_report");
            writeReport(g, r, layout);
            g.writeFieldName("cert_chain");
            if (evidence.certificates().isEmpty()) {
                g.writeNull();
            } else {
                g.writeStartArray();
                for (CertTable.Entry e : evidence.certificates()) {
                    g.writeStartObject();
                    g.writeFieldName("cert_type");
                    String name = TYPE_NAMES.get(e.guid());
                    if (name != null) {
                        g.writeString(name);
                    } else {
                        g.writeStartObject();
                        g.writeStringField("OTHER", e.guid().toString());
                        g.writeEndObject();
                    }
                    g.writeFieldName("data");
                    writeBytes(g, e.data());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return out.toByteArray();
    }

    private static void checkRepresentable(AttestationReport r, CpuGeneration layout) {
        Map<String, TcbVersion> tcbs = new LinkedHashMap<>();
        tcbs.put("CURRENT_TCB", r.currentTcb());
        tcbs.put("REPORTED_TCB", r.reportedTcb());
        tcbs.put("COMMITTED_TCB", r.committedTcb());
        tcbs.put("LAUNCH_TCB", r.launchTcb());
        for (var t : tcbs.entrySet()) {
            if (!t.getValue().fitsLayoutOf(layout)) {
                throw new EvidenceException(t.getKey() + " " + t.getValue() + " has bytes outside the "
                        + layout.productName() + " TCB layout; the CoCo JSON shape would drop them");
            }
        }
        if (r.version() < MIT_VECTOR_VERSION && (r.launchMitVector() | r.currentMitVector()) != 0) {
            throw new EvidenceException("report version " + r.version() + " carries mitigation vectors, which the "
                    + "CoCo JSON shape (sev 6.3) has only from version " + MIT_VECTOR_VERSION);
        }
    }

    private static void writeReport(JsonGenerator g, AttestationReport r, CpuGeneration layout) throws IOException {
        g.writeStartObject();
        u32(g, "version", r.version());
        u32(g, "guest_svn", r.guestSvn());
        u64(g, "policy", r.policy().raw());
        bytes(g, "family_id", r.familyId());
        bytes(g, "image_id", r.imageId());
        u32(g, "vmpl", r.vmpl());
        u32(g, "sig_algo", r.signatureAlgo());
        tcb(g, "current_tcb", r.currentTcb(), layout);
        u64(g, "plat_info", r.platformInfo().raw());
        u32(g, "key_info", keyInfo(r));
        bytes(g, "report_data", r.reportData());
        bytes(g, "measurement", r.measurement());
        bytes(g, "host_data", r.hostData());
        bytes(g, "id_key_digest", r.idKeyDigest());
        bytes(g, "author_key_digest", r.authorKeyDigest());
        bytes(g, "report_id", r.reportId());
        bytes(g, "report_id_ma", r.reportIdMa());
        tcb(g, "reported_tcb", r.reportedTcb(), layout);
        boolean cpuid = r.version() >= 3;
        optional(g, "cpuid_fam_id", cpuid, r.cpuidFamily());
        optional(g, "cpuid_mod_id", cpuid, r.cpuidModel());
        optional(g, "cpuid_step", cpuid, r.cpuidStepping());
        bytes(g, "chip_id", r.chipId());
        tcb(g, "committed_tcb", r.committedTcb(), layout);
        version(g, "current", r.currentMajor(), r.currentMinor(), r.currentBuild());
        version(g, "committed", r.committedMajor(), r.committedMinor(), r.committedBuild());
        tcb(g, "launch_tcb", r.launchTcb(), layout);
        boolean mit = r.version() >= MIT_VECTOR_VERSION;
        optional(g, "launch_mit_vector", mit, r.launchMitVector());
        optional(g, "current_mit_vector", mit, r.currentMitVector());
        g.writeObjectFieldStart("signature");
        bytes(g, "r", r.signatureR());
        bytes(g, "s", r.signatureS());
        g.writeEndObject();
        g.writeEndObject();
    }

    /** The 32-bit word at 0x48 (sev's KeyInfo): AUTHOR_KEY_EN, MASK_CHIP_KEY, SIGNING_KEY. */
    private static int keyInfo(AttestationReport r) {
        return (r.authorKeyEn() ? 1 : 0) | (r.maskChipKey() ? 2 : 0) | r.signingKey().code() << 2;
    }

    private static void tcb(JsonGenerator g, String name, TcbVersion t, CpuGeneration layout) throws IOException {
        TcbVersion.Parts p = t.decode(layout);
        g.writeObjectFieldStart(name);
        optional(g, "fmc", layout == CpuGeneration.TURIN, p.fmc());
        g.writeNumberField("bootloader", p.bootLoader());
        g.writeNumberField("tee", p.tee());
        g.writeNumberField("snp", p.snp());
        g.writeNumberField("microcode", p.microcode());
        g.writeEndObject();
    }

    private static void version(JsonGenerator g, String name, int major, int minor, int build) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeNumberField("major", major);
        g.writeNumberField("minor", minor);
        g.writeNumberField("build", build);
        g.writeEndObject();
    }

    private static void optional(JsonGenerator g, String name, boolean present, long value) throws IOException {
        g.writeFieldName(name);
        if (present) {
            writeU64(g, value);
        } else {
            g.writeNull();
        }
    }

    private static void u32(JsonGenerator g, String name, int v) throws IOException {
        g.writeNumberField(name, Integer.toUnsignedLong(v));
    }

    private static void u64(JsonGenerator g, String name, long v) throws IOException {
        g.writeFieldName(name);
        writeU64(g, v);
    }

    private static void writeU64(JsonGenerator g, long v) throws IOException {
        if (v >= 0) {
            g.writeNumber(v);
        } else {
            g.writeNumber(new BigInteger(Long.toUnsignedString(v)));
        }
    }

    private static void bytes(JsonGenerator g, String name, byte[] b) throws IOException {
        g.writeFieldName(name);
        writeBytes(g, b);
    }

    private static void writeBytes(JsonGenerator g, byte[] b) throws IOException {
        g.writeStartArray();
        for (byte x : b) {
            g.writeNumber(x & 0xFF);
        }
        g.writeEndArray();
    }

    // ---------------------------------------------------------------- parsing

    public static SnpEvidence parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads CoCo SNP evidence JSON back into the raw 1184-byte report and its certificates. Accepts
     * what sev 6.3 writes back (a null Option it writes as zero is read as zero) and refuses fields
     * sev would silently drop, since the bytes rebuilt from them would not be the signed ones.
     *
     * @throws EvidenceFormatException naming the field that is missing, mistyped or out of range
     */
    public static SnpEvidence parse(byte[] json) {
        JsonNode root;
        try {
            root = READER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new EvidenceFormatException("evidence is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Obj top = Obj.of(root, "evidence", TOP);
        AttestationReport report = parseReport(top.required("attestation_report"));
        List<CertTable.Entry> certs = new ArrayList<>();
        JsonNode chain = top.get("cert_chain");
        if (chain != null && !chain.isNull()) {
            if (!chain.isArray()) {
                throw new EvidenceFormatException("cert_chain must be an array or null, got " + kind(chain));
            }
            for (int i = 0; i < chain.size(); i++) {
                Obj c = Obj.of(chain.get(i), "cert_chain[" + i + "]", CERT);
                UUID guid = certType(c.required("cert_type"), c.path + ".cert_type");
                certs.add(new CertTable.Entry(guid, c.bytes("data", -1)));
            }
        }
        return new SnpEvidence(report.toBytes(), certs);
    }

    private static AttestationReport parseReport(JsonNode node) {
        Obj o = Obj.of(node, "attestation_report", REPORT);
        int version = (int) o.unsigned("version", 32);
        if (version < AttestationReport.MIN_VERSION || version > AttestationReport.MAX_VERSION) {
            throw new EvidenceFormatException("attestation_report: report version " + version + " is not supported "
                    + "(expected " + AttestationReport.MIN_VERSION + ".." + AttestationReport.MAX_VERSION + ")");
        }
        boolean cpuid = version >= 3;
        String noCpuid = "report version " + version + " has no CPUID fields";
        int family = o.optionalByte("cpuid_fam_id", cpuid, noCpuid);
        int model = o.optionalByte("cpuid_mod_id", cpuid, noCpuid);
        int step = o.optionalByte("cpuid_step", cpuid, noCpuid);
        byte[] chipId = o.bytes("chip_id", 64);
        CpuGeneration layout = tcbLayout(version, family, model, chipId).orElseThrow(() -> new EvidenceFormatException(
                String.format("attestation_report: CPUID family 0x%02x model 0x%02x is no generation with a known "
                        + "TCB layout (Milan, Genoa, Turin)", family, model)));
        long keyInfo = o.unsigned("key_info", 32);
        if ((keyInfo & ~0x1FL) != 0) {
            throw new EvidenceFormatException(String.format("attestation_report.key_info 0x%x has reserved bits "
                    + "(5..31) set", keyInfo));
        }
        boolean mit = version >= MIT_VECTOR_VERSION;
        String noMit = "report version " + version + " has no mitigation vectors (sev 6.3: version "
                + MIT_VECTOR_VERSION + " and later)";
        Obj current = o.object("current", VERSION);
        Obj committed = o.object("committed", VERSION);
        Obj sig = o.object("signature", SIGNATURE);
        try {
            return new AttestationReport(
                    version,
                    (int) o.unsigned("guest_svn", 32),
                    new GuestPolicy(o.unsigned("policy", 64)),
                    o.bytes("family_id", 16),
                    o.bytes("image_id", 16),
                    (int) o.unsigned("vmpl", 32),
                    (int) o.unsigned("sig_algo", 32),
                    tcb(o, "current_tcb", layout),
                    new PlatformInfo(o.unsigned("plat_info", 64)),
                    (keyInfo & 1) != 0,
                    (keyInfo & 2) != 0,
                    SigningKey.fromCode((int) (keyInfo >>> 2 & 7)),
                    o.bytes("report_data", 64),
                    o.bytes("measurement", 48),
                    o.bytes("host_data", 32),
                    o.bytes("id_key_digest", 48),
                    o.bytes("author_key_digest", 48),
                    o.bytes("report_id", 32),
                    o.bytes("report_id_ma", 32),
                    tcb(o, "reported_tcb", layout),
                    family,
                    model,
                    step,
                    chipId,
                    tcb(o, "committed_tcb", layout),
                    (int) current.unsigned("build", 8),
                    (int) current.unsigned("minor", 8),
                    (int) current.unsigned("major", 8),
                    (int) committed.unsigned("build", 8),
                    (int) committed.unsigned("minor", 8),
                    (int) committed.unsigned("major", 8),
                    tcb(o, "launch_tcb", layout),
                    o.optionalU64("launch_mit_vector", mit, noMit),
                    o.optionalU64("current_mit_vector", mit, noMit),
                    sig.bytes("r", 72),
                    sig.bytes("s", 72));
        } catch (ReportFormatException e) {
            throw new EvidenceFormatException("attestation_report: " + e.getMessage(), e);
        }
    }

    private static TcbVersion tcb(Obj report, String name, CpuGeneration layout) {
        Obj t = report.object(name, TCB);
        boolean turin = layout == CpuGeneration.TURIN;
        int fmc = t.optionalByte("fmc", turin, layout.productName() + " TCBs have no FMC field (layout from "
                + "the report's CPUID, or CHIP_ID for version 2)");
        return TcbVersion.encode(layout, new TcbVersion.Parts(fmc, (int) t.unsigned("bootloader", 8),
                (int) t.unsigned("tee", 8), (int) t.unsigned("snp", 8), (int) t.unsigned("microcode", 8)));
    }

    private static UUID certType(JsonNode n, String path) {
        if (n.isTextual()) {
            for (var e : TYPE_NAMES.entrySet()) {
                if (e.getValue().equals(n.textValue())) {
                    return e.getKey();
                }
            }
            throw new EvidenceFormatException(path + " \"" + n.textValue() + "\" is not a certificate type (expected "
                    + String.join(", ", TYPE_NAMES.values()) + " or {\"OTHER\":\"<uuid>\"})");
        }
        Obj other = Obj.of(n, path, List.of("OTHER"));
        JsonNode g = other.required("OTHER");
        if (!g.isTextual()) {
            throw new EvidenceFormatException(path + ".OTHER must be a UUID string, got " + kind(g));
        }
        try {
            return UUID.fromString(g.textValue());
        } catch (IllegalArgumentException e) {
            throw new EvidenceFormatException(path + ".OTHER \"" + g.textValue() + "\" is not a UUID", e);
        }
    }

    private static String kind(JsonNode n) {
        return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A JSON object being read: knows its path for messages and refuses fields it does not define. */
    private record Obj(JsonNode node, String path) {

        static Obj of(JsonNode node, String path, List<String> allowed) {
            if (node == null || !node.isObject()) {
                throw new EvidenceFormatException(path + " must be an object, got "
                        + (node == null ? "nothing" : kind(node)));
            }
            Set<String> known = Set.copyOf(allowed);
            for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                String f = it.next();
                if (!known.contains(f)) {
                    throw new EvidenceFormatException(path + " has unknown field \"" + f + "\" (the sev 6.3 shape "
                            + "has " + String.join(", ", allowed) + ")");
                }
            }
            return new Obj(node, path);
        }

        JsonNode get(String name) {
            return node.get(name);
        }

        JsonNode required(String name) {
            JsonNode n = node.get(name);
            if (n == null || n.isNull()) {
                throw new EvidenceFormatException(path + "." + name + " is missing");
            }
            return n;
        }

        Obj object(String name, List<String> allowed) {
            return of(required(name), path + "." + name, allowed);
        }

        long unsigned(String name, int bits) {
            return number(required(name), path + "." + name, bits);
        }

        /** An Option field: null/absent reads as 0 where present; a value where absent would be dropped. */
        int optionalByte(String name, boolean present, String whyAbsent) {
            return (int) optional(name, present, 8, whyAbsent);
        }

        long optionalU64(String name, boolean present, String whyAbsent) {
            return optional(name, present, 64, whyAbsent);
        }

        private long optional(String name, boolean present, int bits, String whyAbsent) {
            JsonNode n = node.get(name);
            if (n == null || n.isNull()) {
                return 0;
            }
            if (!present) {
                throw new EvidenceFormatException(path + "." + name + " must be null: " + whyAbsent);
            }
            return number(n, path + "." + name, bits);
        }

        /** A byte array of exactly {@code len} integers 0..255 ({@code len < 0}: any length). */
        byte[] bytes(String name, int len) {
            JsonNode n = required(name);
            String p = path + "." + name;
            if (!n.isArray()) {
                throw new EvidenceFormatException(p + " must be an array of bytes, got " + kind(n));
            }
            if (len >= 0 && n.size() != len) {
                throw new EvidenceFormatException(p + " must hold " + len + " bytes, got " + n.size());
            }
            byte[] out = new byte[n.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) number(n.get(i), p + "[" + i + "]", 8);
            }
            return out;
        }

        private static long number(JsonNode n, String path, int bits) {
            BigInteger max = bits == 64 ? U64_MAX : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
            if (!n.isIntegralNumber() || n.bigIntegerValue().signum() < 0 || n.bigIntegerValue().compareTo(max) > 0) {
                throw new EvidenceFormatException(path + " must be an integer 0.." + max + ", got "
                        + (n.isNumber() ? n.asText() : kind(n)));
            }
            return n.bigIntegerValue().longValue();
        }
    }
}
