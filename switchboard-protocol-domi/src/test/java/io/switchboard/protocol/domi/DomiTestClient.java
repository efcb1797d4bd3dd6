package io.switchboard.protocol.domi;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.protocol.Json;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A minimal DOMI client written from the frame layout alone (no Switchboard codec), over a raw socket or the JDK's
 * WebSocket client (binary messages): what a third-party DOMI client would do. Frames received are queued in order.
 */
public final class DomiTestClient implements AutoCloseable {
    /** A received frame. */
    public record Frame(int type, byte[] data, byte[] extend) {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }

        public JsonNode json() throws IOException {
            return Json.MAPPER.readTree(data);
        }

        public String extendText() {
            return new String(extend, StandardCharsets.UTF_8);
        }

        public long requestId() {
            return ByteBuffer.wrap(extend).getInt() & 0xFFFF_FFFFL;
        }
    }

    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Consumer<byte[]> send;
    private final AutoCloseable transport;
    private volatile boolean closed;
    private Map<String, Integer> dictionary = Map.of();

    private DomiTestClient(Consumer<byte[]> send, AutoCloseable transport) {
        this.send = send;
        this.transport = transport;
    }

    public static DomiTestClient tcp(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        DomiTestClient[] client = new DomiTestClient[1];
        client[0] = new DomiTestClient(bytes -> {
            try {
                socket.getOutputStream().write(bytes);
                socket.getOutputStream().flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, socket);
        Thread reader = new Thread(() -> client[0].readFrom(socket), "domi-test-reader");
        reader.setDaemon(true);
        reader.start();
        return client[0];
    }

    public static DomiTestClient webSocket(int port) throws Exception {
        FrameStream stream = new FrameStream();
        DomiTestClient[] client = new DomiTestClient[1];
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                        byte[] bytes = new byte[data.remaining()];
                        data.get(bytes);
                        stream.add(bytes).forEachRemaining(client[0].frames::add);
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        client[0].closed = true;
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        client[0].closed = true;
                    }
                }).get(5, TimeUnit.SECONDS);
        client[0] = new DomiTestClient(bytes -> ws.sendBinary(ByteBuffer.wrap(bytes), true).join(),
                () -> ws.abort());
        return client[0];
    }

    /** Cuts DOMI frames out of bytes that come in pieces (WebSocket messages may split or join frames). */
    private static final class FrameStream {
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        synchronized Iterator<Frame> add(byte[] bytes) {
            pending.writeBytes(bytes);
            java.util.List<Frame> out = new java.util.ArrayList<>();
            byte[] all = pending.toByteArray();
            int at = 0;
            while (all.length - at >= 8) {
                ByteBuffer header = ByteBuffer.wrap(all, at, 8);
                int length = header.getInt();
                if (all.length - at < length) {
                    break;
                }
                out.add(parse(Arrays.copyOfRange(all, at, at + length)));
                at += length;
            }
            pending.reset();
            pending.write(all, at, all.length - at);
            return out.iterator();
        }
    }

    private static Frame parse(byte[] frame) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        int length = b.getInt();
        int extendSize = b.getShort() & 0xFFFF;
        int type = b.getShort() & 0xFFFF;
        byte[] data = Arrays.copyOfRange(frame, 8, length - extendSize);
        byte[] extend = Arrays.copyOfRange(frame, length - extendSize, length);
        return new Frame(type, data, extend);
    }

    private void readFrom(Socket socket) {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                int length = in.readInt();
                byte[] frame = new byte[length];
                ByteBuffer.wrap(frame).putInt(length);
                in.readFully(frame, 4, length - 4);
                frames.add(parse(frame));
            }
        } catch (EOFException e) {
            closed = true;
        } catch (IOException e) {
            closed = true;
        }
    }

    /** The bytes of a frame: {@code [length][extendSize][frameType][data][extend]}, big-endian. */
    public static byte[] frame(int type, byte[] data, byte[] extend) {
        return ByteBuffer.allocate(8 + data.length + extend.length).putInt(8 + data.length + extend.length)
                .putShort((short) extend.length).putShort((short) type).put(data).put(extend).array();
    }

    public void sendRaw(byte[] bytes) {
        send.accept(bytes);
    }

    /** Says hello and learns the route codes from the answer's {@code sys.dict}. */
    public JsonNode hello() throws Exception {
        send.accept(frame(DomiEvents.HELLO, "{\"sys\":{\"type\":\"domi-test\",\"version\":\"1\"}}"
                .getBytes(StandardCharsets.UTF_8), new byte[0]));
        Frame answer = next();
        if (answer.type() != DomiEvents.HELLO) {
            throw new AssertionError("expected a hello answer, got " + answer.type());
        }
        JsonNode json = answer.json();
        Map<String, Integer> dict = new java.util.HashMap<>();
        json.at("/sys/dict").fields().forEachRemaining(e -> dict.put(e.getKey(), e.getValue().asInt()));
        dictionary = dict;
        return json;
    }

    public int code(String route) {
        Integer code = dictionary.get(route);
        if (code == null) {
            throw new AssertionError("no code for " + route + " in " + dictionary);
        }
        return code;
    }

    /** Sends a request; returns its request id. */
    public long request(String route, String json) {
        int id = ids.incrementAndGet();
        send.accept(frame(code(route), json.getBytes(StandardCharsets.UTF_8),
                ByteBuffer.allocate(4).putInt(id).array()));
        return id;
    }

    public void notify(String route, String json) {
        send.accept(frame(code(route), json.getBytes(StandardCharsets.UTF_8), new byte[0]));
    }

    /** The next frame, waiting up to 10 s. */
    public Frame next() throws InterruptedException {
        Frame frame = frames.poll(10, TimeUnit.SECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within 10 s");
        }
        return frame;
    }

    /** The next frame other than a heartbeat. */
    public Frame nextNotHeartbeat() throws InterruptedException {
        Frame frame;
        do {
            frame = next();
        } while (frame.type() == DomiEvents.HEARTBEAT);
        return frame;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() throws Exception {
        transport.close();
    }
}
