package io.switchboard.gate;

import io.switchboard.protocol.PackageHeader;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A blocking plain-socket Pomelo client, for tests that need byte-level control over what a client sends. */
final class RawPomeloSocket implements AutoCloseable {
    final Socket socket;
    final DataInputStream in;
    final OutputStream out;

    RawPomeloSocket(int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.setSoTimeout(10_000);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    static byte[] pkg(int type, byte[] body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(type);
        b.write(body.length >>> 16);
        b.write(body.length >>> 8);
        b.write(body.length);
        b.writeBytes(body);
        return b.toByteArray();
    }

    /** A notify message package with a string route. */
    static byte[] notifyPackage(String route, byte[] body) {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        byte[] r = route.getBytes(StandardCharsets.UTF_8);
        m.write(0x02);
        m.write(r.length);
        m.writeBytes(r);
        m.writeBytes(body);
        return pkg(4, m.toByteArray());
    }

    /** A request message package with a one-byte id and a string route. */
    static byte[] requestPackage(int id, String route, byte[] body) {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        byte[] r = route.getBytes(StandardCharsets.UTF_8);
        m.write(0x00);
        m.write(id);
        m.write(r.length);
        m.writeBytes(r);
        m.writeBytes(body);
        return pkg(4, m.toByteArray());
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one package: {type, body}. */
    Object[] read() throws IOException {
        int type = in.readUnsignedByte();
        byte[] header = new byte[PackageHeader.LENGTH_FIELD_LENGTH];
        in.readFully(header);
        int length = ((header[0] & 0xFF) << 16) | ((header[1] & 0xFF) << 8) | (header[2] & 0xFF);
        byte[] body = new byte[length];
        in.readFully(body);
        return new Object[] {type, body};
    }

    /** Handshake, read the response, ack, read the first heartbeat. */
    void establish() throws IOException {
        send(pkg(1, "{\"sys\":{\"type\":\"raw\",\"version\":\"1\"}}".getBytes(StandardCharsets.UTF_8)));
        Object[] response = read();
        if ((int) response[0] != 1) {
            throw new IOException("expected a handshake response, got type " + response[0]);
        }
        send(pkg(2, new byte[0]));
        Object[] heartbeat = read();
        if ((int) heartbeat[0] != 3) {
            throw new IOException("expected a heartbeat, got type " + heartbeat[0]);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
