package io.katacc.agent.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The lines of a kata-policy case's inputs.txt: {@code ["ep":"<Entry>",<json>],}. */
public record RecordedInputs(String caseName, List<Line> lines) {

    public record Line(int number, String entry, JsonNode input) {
    }

    private static final Pattern LINE = Pattern.compile("^\\[\"ep\":\"(\\w+)\",(.*)\\],?$");
    private static final ObjectMapper JSON = new ObjectMapper();

    public static RecordedInputs load(Path caseDir) {
        List<Line> out = new ArrayList<>();
        try {
            List<String> raw = Files.readAllLines(caseDir.resolve("inputs.txt"));
            for (int i = 0; i < raw.size(); i++) {
                String l = raw.get(i).strip();
                if (l.isEmpty()) {
                    continue;
                }
                Matcher m = LINE.matcher(l);
                if (!m.matches()) {
                    throw new IllegalStateException(caseDir + ":" + (i + 1) + ": not an inputs.txt line");
                }
                out.add(new Line(i + 1, m.group(1), JSON.readTree(m.group(2))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new RecordedInputs(caseDir.getFileName().toString(), out);
    }
}
