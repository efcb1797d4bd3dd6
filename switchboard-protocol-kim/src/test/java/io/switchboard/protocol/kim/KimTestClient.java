package io.switchboard.protocol.kim;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.switchboard.protocol.kim.proto.Flag;
import io.switchboard.protocol.kim.proto.LoginReq;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A KIM client for tests, as KIM's own SDK frames its bytes: over TCP each packet in a binary frame
 * ({@code [02][u32 LE length][packet]}), over WebSocket each packet in a binary frame. Reads on its own thread into
 * a queue: decoded packets, {@link KimOpCode}s for TCP control frames, and {@link #CLOSED} at the end.
 */
public final class KimTestClient implements AutoCloseable {
    /** Queued when the server closed the connection. */
    public static final Object CLOSED = new Object() {
        @Override
        public String toString() {
            return "CLOSED";
        }
    };
    private static final long WAIT_SECONDS = 10;

    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final Socket socket;
    private final OutputStream out;
    private volatile WebSocket webSocket;

    private KimTestClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket == null ? null : socket.getOutputStream();
    }

    public static KimTestClient tcp(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        KimTestClient client = new KimTestClient(socket);
        Thread reader = new Thread(client::readTcp, "kim-test-client");
        reader.setDaemon(true);
        reader.start();
        return client;
    }

    public static KimTestClient webSocket(URI uri) throws Exception {
        KimTestClient client = new KimTestClient(null);
        client.webSocket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(uri, new Listener(client.received)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        return client;
    }

    /** Sends raw bytes: over TCP as they are, over WebSocket as one binary frame. */
    public void sendRaw(byte[] bytes) throws Exception {
        if (socket != null) {
            out.write(bytes);
            out.flush();
        } else {
            webSocket.sendBinary(ByteBuffer.wrap(bytes), true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Sends a packet the way KIM's client does on this transport. */
    public void send(Object packet) throws Exception {
        ByteBuf buf = KimPacketCodec.encode(UnpooledByteBufAllocator.DEFAULT, packet);
        byte[] bytes = ByteBufUtil.getBytes(buf);
        buf.release();
        sendRaw(socket != null ? KimGoldenBytes.tcpFrame(bytes) : bytes);
    }

    /** Sends a request with the next sequence; returns the sequence. */
    public int request(String command, byte[] body) throws Exception {
        int seq = sequence.incrementAndGet();
        send(LogicPacket.request(command, seq, body));
        return seq;
    }

    /** Logs in with {@code token} and returns the answer. */
    public LogicPacket login(String token) throws Exception {
        int seq = request(LogicPacket.LOGIN_SIGN_IN, LoginReq.newBuilder().setToken(token).build().toByteArray());
        LogicPacket answer = nextLogic();
        if (answer.sequence() != seq || answer.header().getFlag() != Flag.Response) {
            throw new AssertionError("not the login's answer: " + answer);
        }
        return answer;
    }

    /** The next thing received; fails after ten seconds of nothing. */
    public Object next() throws InterruptedException {
        Object next = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("nothing received within " + WAIT_SECONDS + "s");
        }
        return next;
    }

    /** The next logic packet, skipping basic packets and control frames. */
    public LogicPacket nextLogic() throws InterruptedException {
        while (true) {
            Object next = next();
            if (next instanceof LogicPacket logic) {
                return logic;
            }
            if (next == CLOSED) {
                received.add(CLOSED);
                throw new AssertionError("closed while waiting for a logic packet");
            }
        }
    }

    /** Waits until the server has closed the connection, dropping what comes before. */
    public void awaitClosed() throws InterruptedException {
        while (next() != CLOSED) {
            // skip
        }
        received.add(CLOSED);
    }

    private void readTcp() {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                int op = in.readUnsignedByte();
                byte[] length = new byte[4];
                in.readFully(length);
                byte[] payload = new byte[(int) Unpooled.wrappedBuffer(length).getUnsignedIntLE(0)];
                in.readFully(payload);
                KimOpCode code = KimOpCode.fromCode(op);
                received.add(code == KimOpCode.BINARY ? decode(payload) : code);
            }
        } catch (EOFException e) {
            received.add(CLOSED);
        } catch (IOException e) {
            received.add(CLOSED);
        }
    }

    private static Object decode(byte[] payload) {
        return KimPacketCodec.decode(Unpooled.wrappedBuffer(payload), Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    @Override
    public void close() throws Exception {
        if (socket != null) {
            socket.close();
        } else {
            webSocket.abort();
        }
    }

    private static final class Listener implements WebSocket.Listener {
        private final ByteArrayOutputStream message = new ByteArrayOutputStream();
        private final BlockingQueue<Object> target;

        Listener(BlockingQueue<Object> target) {
            this.target = target;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(Long.MAX_VALUE); // no back-pressure: a close frame is seen as soon as it comes
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            message.writeBytes(bytes);
            if (last) {
                target.add(decode(message.toByteArray()));
                message.reset();
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            target.add(CLOSED);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            target.add(CLOSED);
        }
    }
}
