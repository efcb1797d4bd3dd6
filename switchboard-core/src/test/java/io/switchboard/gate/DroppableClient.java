package io.switchboard.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.protocol.Json;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A byte-level Pomelo client over raw TCP or WebSocket that can vanish without a goodbye (a TCP reset, a WebSocket
 * abort with no close frame): what a phone losing its network looks like to the gate. Counts pushes as a resuming
 * client must.
 */
abstract class DroppableClient implements AutoCloseable {
    private static final long WAIT_SECONDS = 10;

    /** A push as read: route (string routes only) and JSON body. */
    record Push(String route, JsonNode body) {
    }

    JsonNode handshakeAnswer;
    long received;

    static DroppableClient open(String scheme, int port) throws Exception {
        return scheme.equals("ws") ? new Ws(port) : new Tcp(port);
    }

    abstract void send(byte[] pkg) throws IOException;

    /** The next package {type, body}; EOFException once the connection is gone. */
    abstract Object[] read() throws IOException;

    /** Vanishes: no kick, no close frame. */
    abstract void drop() throws IOException;

    /** Handshakes with {@code user} (may be null), acks, and returns {@code sys.session} of the answer. */
    JsonNode handshake(ObjectNode user) throws IOException {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.putObject("sys").put("type", "raw").put("version", "1");
        if (user != null) {
            root.set("user", user);
        }
        send(RawPomeloSocket.pkg(1, root.toString().getBytes(StandardCharsets.UTF_8)));
        Object[] answer = read();
        if ((int) answer[0] != 1) {
            throw new IOException("expected a handshake answer, got type " + answer[0]);
        }
        handshakeAnswer = Json.MAPPER.readTree((byte[]) answer[1]);
        send(RawPomeloSocket.pkg(2, new byte[0]));
        return handshakeAnswer.path("sys").path("session");
    }

    /** {@code sys.session} of the last handshake answer. */
    JsonNode session() {
        return handshakeAnswer.path("sys").path("session");
    }

    /** The resume token of the last handshake answer. */
    String token() {
        return session().path("resume").asText();
    }

    /** Resumes with {@code token} and this client's count; returns {@code sys.session} of the answer. */
    JsonNode resume(String token, long count) throws IOException {
        received = count;
        ObjectNode user = Json.MAPPER.createObjectNode().put("resume", token).put("received", count);
        return handshake(user);
    }

    /** The next push, skipping heartbeats; counted. */
    Push nextPush() throws IOException {
        while (true) {
            Object[] pkg = read();
            if ((int) pkg[0] == 3) {
                continue;
            }
            byte[] body = (byte[]) pkg[1];
            if ((int) pkg[0] != 4 || ((body[0] >> 1) & 0x7) != 3 || (body[0] & 1) != 0) {
                throw new IOException("expected a push with a string route, got type " + pkg[0]);
            }
            int routeLength = body[1] & 0xFF;
            String route = new String(body, 2, routeLength, StandardCharsets.UTF_8);
            received++;
            return new Push(route, Json.MAPPER.readTree(body, 2 + routeLength, body.length - 2 - routeLength));
        }
    }

    /** Reads (and ignores) whatever comes until the connection ends. */
    void awaitEnd() throws IOException {
        try {
            while (true) {
                read();
            }
        } catch (EOFException | java.net.SocketException e) {
            // ended
        }
    }

    private static final class Tcp extends DroppableClient {
        private final RawPomeloSocket socket;

        Tcp(int port) throws IOException {
            socket = new RawPomeloSocket(port, 0);
        }

        @Override
        void send(byte[] pkg) throws IOException {
            socket.send(pkg);
        }

        @Override
        Object[] read() throws IOException {
            return socket.read();
        }

        @Override
        void drop() throws IOException {
            socket.socket.setSoLinger(true, 0); // close with a reset
            socket.close();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static final class Ws extends DroppableClient implements WebSocket.Listener {
        private static final Object[] END = new Object[0];
        private final BlockingQueue<Object[]> packages = new LinkedBlockingQueue<>();
        private final ByteArrayOutputStream frame = new ByteArrayOutputStream();
        private final WebSocket ws;

        Ws(int port) throws Exception {
            ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), this).get(WAIT_SECONDS, TimeUnit.SECONDS);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            frame.writeBytes(bytes);
            if (last) {
                byte[] all = frame.toByteArray();
                frame.reset();
                for (int at = 0; at < all.length; ) {
                    int length = ((all[at + 1] & 0xFF) << 16) | ((all[at + 2] & 0xFF) << 8) | (all[at + 3] & 0xFF);
                    byte[] body = new byte[length];
                    System.arraycopy(all, at + 4, body, 0, length);
                    packages.add(new Object[] {all[at] & 0xFF, body});
                    at += 4 + length;
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            packages.add(END);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            packages.add(END);
        }

        @Override
        void send(byte[] pkg) throws IOException {
            try {
                ws.sendBinary(ByteBuffer.wrap(pkg), true).get(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IOException("send failed", e);
            }
        }

        @Override
        Object[] read() throws IOException {
            Object[] next;
            try {
                next = packages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (next == null) {
                throw new IOException("nothing read within " + WAIT_SECONDS + " s");
            }
            if (next == END) {
                packages.add(END);
                throw new EOFException("connection closed");
            }
            return next;
        }

        @Override
        void drop() {
            ws.abort();
        }

        @Override
        public void close() {
            ws.abort();
        }
    }
}
