package io.katacc.snp.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;

/**
 * JSON rendering of a report: byte fields as lowercase hex, 64-bit words as "0x..." strings
 * (JSON numbers lose precision past 2^53), TCBs and bit fields decoded alongside the raw value.
 */
public final class ReportJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final HexFormat HEX = HexFormat.of();

    private ReportJson() {
    }

    /** TCBs are decoded with the report's CPUID generation, else {@code fallback} (v2 reports do not say). */
    public static ObjectNode tree(AttestationReport r, CpuGeneration fallback) {
        CpuGeneration gen = r.cpuGeneration().orElse(fallback);
        ObjectNode n = MAPPER.createObjectNode();
        n.put("version", r.version());
        n.put("guest_svn", Integer.toUnsignedLong(r.guestSvn()));
        ObjectNode p = n.putObject("policy");
        p.put("raw", hex64(r.policy().raw()));
        p.put("abi_major", r.policy().abiMajor());
        p.put("abi_minor", r.policy().abiMinor());
        p.put("smt", r.policy().smt());
        p.put("migrate_ma", r.policy().migrateMa());
        p.put("debug", r.policy().debug());
        p.put("single_socket", r.policy().singleSocket());
        p.put("cxl_allow", r.policy().cxlAllow());
        p.put("mem_aes_256_xts", r.policy().memAes256Xts());
        p.put("rapl_dis", r.policy().raplDis());
        p.put("ciphertext_hiding", r.policy().ciphertextHiding());
        p.put("page_swap_disable", r.policy().pageSwapDisable());
        n.put("family_id", HEX.formatHex(r.familyId()));
        n.put("image_id", HEX.formatHex(r.imageId()));
        n.put("vmpl", r.vmpl());
        n.put("signature_algo", r.signatureAlgo());
        tcb(n, "current_tcb", r.currentTcb(), gen);
        ObjectNode pi = n.putObject("platform_info");
        pi.put("raw", hex64(r.platformInfo().raw()));
        pi.put("smt_en", r.platformInfo().smtEnabled());
        pi.put("tsme_en", r.platformInfo().tsmeEnabled());
        pi.put("ecc_en", r.platformInfo().eccEnabled());
        pi.put("rapl_dis", r.platformInfo().raplDisabled());
        pi.put("ciphertext_hiding_en", r.platformInfo().ciphertextHidingEnabled());
        pi.put("alias_check_complete", r.platformInfo().aliasCheckComplete());
        n.put("author_key_en", r.authorKeyEn());
        n.put("mask_chip_key", r.maskChipKey());
        n.put("signing_key", r.signingKey().name());
        n.put("report_data", HEX.formatHex(r.reportData()));
        n.put("measurement", HEX.formatHex(r.measurement()));
        n.put("host_data", HEX.formatHex(r.hostData()));
        n.put("id_key_digest", HEX.formatHex(r.idKeyDigest()));
        n.put("author_key_digest", HEX.formatHex(r.authorKeyDigest()));
        n.put("report_id", HEX.formatHex(r.reportId()));
        n.put("report_id_ma", HEX.formatHex(r.reportIdMa()));
        tcb(n, "reported_tcb", r.reportedTcb(), gen);
        if (r.version() >= 3) {
            n.put("cpuid_fam_id", r.cpuidFamily());
            n.put("cpuid_mod_id", r.cpuidModel());
            n.put("cpuid_step", r.cpuidStepping());
        }
        n.put("chip_id", HEX.formatHex(r.chipId()));
        tcb(n, "committed_tcb", r.committedTcb(), gen);
        n.put("current_version", r.currentMajor() + "." + r.currentMinor() + "." + r.currentBuild());
        n.put("committed_version", r.committedMajor() + "." + r.committedMinor() + "." + r.committedBuild());
        tcb(n, "launch_tcb", r.launchTcb(), gen);
        if (r.version() >= 4) {
            n.put("launch_mit_vector", hex64(r.launchMitVector()));
            n.put("current_mit_vector", hex64(r.currentMitVector()));
        }
        ObjectNode s = n.putObject("signature");
        s.put("r", HEX.formatHex(r.signatureR()));
        s.put("s", HEX.formatHex(r.signatureS()));
        n.put("tcb_layout", gen.productName());
        return n;
    }

    public static String render(AttestationReport r, CpuGeneration fallback) {
        try {
            return MAPPER.writeValueAsString(tree(r, fallback));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }

    private static void tcb(ObjectNode n, String name, TcbVersion t, CpuGeneration gen) {
        TcbVersion.Parts p = t.decode(gen);
        ObjectNode o = n.putObject(name);
        o.put("raw", hex64(t.raw()));
        if (gen == CpuGeneration.TURIN) {
            o.put("fmc", p.fmc());
        }
        o.put("bootloader", p.bootLoader());
        o.put("tee", p.tee());
        o.put("snp", p.snp());
        o.put("microcode", p.microcode());
    }

    private static String hex64(long v) {
        return String.format("0x%016x", v);
    }
}
