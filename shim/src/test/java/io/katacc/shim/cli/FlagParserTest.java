package io.katacc.shim.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class FlagParserTest {
    @Test
    void parsesContainerdsStartCommandLine() {
        // the exact shape containerd 1.7 runs (runtime/v2/shim/util.go Command)
        ShimFlags f = FlagParser.parse(List.of("-namespace", "k8s.io", "-address", "/run/containerd/containerd.sock",
                "-publish-binary", "/usr/bin/containerd", "-id", "abc", "-debug", "start"));
        assertEquals("k8s.io", f.namespace());
        assertEquals("/run/containerd/containerd.sock", f.address());
        assertEquals("/usr/bin/containerd", f.publishBinary());
        assertEquals("abc", f.id());
        assertTrue(f.debug());
        assertEquals(Optional.of("start"), f.action());
        assertEquals(Optional.empty(), f.bundle());
    }

    @Test
    void goFlagSpellings() {
        ShimFlags f = FlagParser.parse(List.of("--namespace=n", "-bundle=/b", "-debug=false", "--id", "x", "delete"));
        assertEquals("n", f.namespace());
        assertEquals(Optional.of(Path.of("/b")), f.bundle());
        assertFalse(f.debug());
        assertEquals(Optional.of("delete"), f.action());
        assertTrue(FlagParser.parse(List.of("-v")).version());
        assertTrue(FlagParser.parse(List.of("--version")).version());
        assertEquals(Optional.empty(), FlagParser.parse(List.of("-id", "x")).action());
    }

    @Test
    void rejectsUnknownAndIncompleteFlags() {
        assertEquals("flag provided but not defined: -nope",
                assertThrows(IllegalArgumentException.class, () -> FlagParser.parse(List.of("-nope", "1"))).getMessage());
        assertEquals("flag needs an argument: -id",
                assertThrows(IllegalArgumentException.class, () -> FlagParser.parse(List.of("-id"))).getMessage());
        assertEquals("invalid boolean value \"maybe\" for -debug",
                assertThrows(IllegalArgumentException.class, () -> FlagParser.parse(List.of("-debug=maybe"))).getMessage());
    }

    @Test
    void renderRoundTrips() {
        ShimFlags f = new ShimFlags("n", "/a", "/p", "i", Optional.of(Path.of("/b")), true, false,
                Optional.of("unix:///s"), List.of());
        assertEquals(f, FlagParser.parse(FlagParser.render(f)));
    }
}
