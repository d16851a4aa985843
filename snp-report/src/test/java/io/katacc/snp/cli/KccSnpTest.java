package io.katacc.snp.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.katacc.snp.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KccSnpTest {
    private final String report = SharedData.snpDir().resolve("milan-report-v2.bin").toString();
    private final String vcek = SharedData.snpDir().resolve("milan-vcek.der").toString();
    private final String milan = SharedData.snpDir().resolve("ask_ark_milan.pem").toString();

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int st = KccSnp.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(st, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void verifySucceedsOnTheMilanReport() {
        Run r = run("verify", report, "--cert", vcek, "--chain", milan, "--host-data", "00".repeat(32),
                "--report-data", "0102030405", "--min-tcb", "2.0.5.68");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("OK: report v2 verified"), r.out());
    }

    @Test
    void verifyFailuresExitOneWithOneLine() {
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"verify", report, "--cert", vcek, "--chain", milan, "--host-data", "11".repeat(32)});
        cases.add(new String[] {"verify", report, "--cert", vcek, "--chain",
            SharedData.snpDir().resolve("ask_ark_genoa.pem").toString()});
        cases.add(new String[] {"verify", report, "--cert", vcek, "--chain", milan, "--report-data", "ff"});
        cases.add(new String[] {"verify", report, "--cert", vcek, "--chain", milan, "--require-no-debug", "true"});
        cases.add(new String[] {"verify", vcek, "--cert", vcek, "--chain", milan});
        cases.add(new String[] {"verify", "/nonexistent", "--cert", vcek, "--chain", milan});
        String[] expected = {"HOST_DATA_MISMATCH", "BAD_CHAIN_SIGNATURE", "REPORT_DATA_MISMATCH", "DEBUG_ALLOWED",
            "MALFORMED_INPUT", "MALFORMED_INPUT"};
        for (int i = 0; i < cases.size(); i++) {
            Run r = run(cases.get(i));
            assertEquals(1, r.status(), String.join(" ", cases.get(i)));
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(expected[i]), r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run().status());
        assertEquals(2, run("frobnicate").status());
        assertEquals(2, run("verify", report, "--chain", milan).status());
        assertEquals(2, run("verify", report, "--cert", vcek, "--chain", milan, "--host-data", "zz").status());
        assertEquals(2, run("verify", report, "--cert", vcek, "--chain", milan, "--bogus", "1").status());
        assertEquals(2, run("verify", report, "--cert", vcek, "--chain", milan, "--min-tcb", "1.2").status());
    }

    @Test
    void showRendersEveryFieldAsJson() throws Exception {
        Run r = run("show", report);
        assertEquals(0, r.status(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(2, j.get("version").asInt());
        assertTrue(j.get("policy").get("debug").asBoolean());
        assertEquals("0x00000000000b0000", j.get("policy").get("raw").asText());
        assertEquals(5, j.get("reported_tcb").get("snp").asInt());
        assertEquals(0x44, j.get("reported_tcb").get("microcode").asInt());
        assertEquals("VCEK", j.get("signing_key").asText());
        assertTrue(j.get("measurement").asText().startsWith("b07af962"));
        assertEquals("1.49.3", j.get("current_version").asText());
        assertFalse(j.has("cpuid_fam_id"), "v2 has no CPUID fields");
    }

    @Test
    void reportOutsideAGuestFailsWithReason(@TempDir Path dir) {
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of("/dev/sev-guest")),
                "this machine is an SEV-SNP guest");
        Run r = run("report", "--out", dir.resolve("r.bin").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("/dev/sev-guest"), r.err());
        assertFalse(Files.exists(dir.resolve("r.bin")));
    }
}
