package io.katacc.shim.events;

import com.google.protobuf.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Publishes through containerd's publish binary, as containerd 1.6/1.7 shims do:
 * {@code <binary> --address <A> publish --topic <T> --namespace <N>} with the event as an Any on stdin.
 * One virtual thread sends events in order (an exit must never overtake its start).
 */
public final class PublishBinaryPublisher implements EventPublisher {
    private static final Logger log = LoggerFactory.getLogger(PublishBinaryPublisher.class);
    private static final Message STOP = com.google.protobuf.Empty.getDefaultInstance();

    private final Path binary;
    private final String address;
    private final String namespace;
    private final Duration timeout;
    private final LinkedBlockingQueue<Message> queue = new LinkedBlockingQueue<>();
    private final Thread sender;

    public PublishBinaryPublisher(Path binary, String address, String namespace, Duration timeout) {
        this.binary = binary;
        this.address = address;
        this.namespace = namespace;
        this.timeout = timeout;
        this.sender = Thread.ofVirtual().name("event-publisher").start(this::run);
    }

    @Override
    public void publish(Message event) {
        Topic.of(event); // reject unknown events at the call site, not later on the sender thread
        queue.add(event);
    }

    public List<String> command(String topic) {
        return List.of(binary.toString(), "--address", address, "publish", "--topic", topic, "--namespace", namespace);
    }

    private void run() {
        while (true) {
            Message e;
            try {
                e = queue.take();
            } catch (InterruptedException ie) {
                return;
            }
            if (e == STOP) {
                return;
            }
            try {
                send(e);
            } catch (IOException ex) {
                log.warn("publishing {} failed: {}", Topic.of(e), ex.getMessage());
            } catch (InterruptedException ie) {
                return;
            }
        }
    }

    private void send(Message event) throws IOException, InterruptedException {
        String topic = Topic.of(event);
        Process p = new ProcessBuilder(command(topic))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectErrorStream(true)
                .start();
        try (OutputStream in = p.getOutputStream()) {
            EventEncoding.toAny(event).writeTo(in);
        }
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException(binary + " did not finish publishing " + topic + " within " + timeout);
        }
        if (p.exitValue() != 0) {
            throw new IOException(binary + " exited " + p.exitValue() + " publishing " + topic);
        }
        log.debug("published {}", topic);
    }

    @Override
    public void close() {
        queue.add(STOP);
        try {
            sender.join(timeout.multipliedBy(Math.max(1, queue.size())).plusSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
