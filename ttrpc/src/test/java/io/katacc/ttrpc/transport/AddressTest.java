package io.katacc.ttrpc.transport;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressTest {
    @Test
    void parsesEveryScheme() {
        assertEquals(new UnixAddress("/run/containerd/s/abc"), Address.parse("unix:///run/containerd/s/abc"));
        assertEquals(new VsockAddress(3, 1024), Address.parse("vsock://3:1024"));
        assertEquals(new VsockAddress(-1, 1024), Address.parse("vsock://4294967295:1024"));
        assertEquals(new HybridVsockAddress("/run/vc/vm/x/clh.sock", 1024),
                Address.parse("hvsock:///run/vc/vm/x/clh.sock:1024"));
        ByteStreamAddress serial = assertInstanceOf(ByteStreamAddress.class,
                Address.parse("serial:///dev/virtio-ports/agent.channel.0"));
        assertEquals("serial:///dev/virtio-ports/agent.channel.0", serial.toString());
        assertEquals("hvsock:///run/vc/vm/x/clh.sock:1024", Address.parse("hvsock:///run/vc/vm/x/clh.sock:1024").toString());
    }

    @Test
    void rejectsBadAddressesWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Address.parse("/run/x.sock"))
                .getMessage().contains("no scheme"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Address.parse("tcp://1.2.3.4:5"))
                .getMessage().contains("unsupported ttrpc address scheme 'tcp'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Address.parse("unix://relative.sock"))
                .getMessage().contains("absolute path"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Address.parse("vsock://3"))
                .getMessage().contains("vsock://CID:PORT"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Address.parse("vsock://x:1"))
                .getMessage().contains("invalid CID"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Address.parse("hvsock:///a/b"))
                .getMessage().contains("lacks ':PORT'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Address.parse("hvsock:///a/b:99999999999"))
                .getMessage().contains("invalid port"));
    }
}
