package io.switchboard.testing;


import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;

/**
 * HTTP/1.1 as written on a socket, for the tests of the HTTP ports' bounds (here and in the modules that serve HTTP):
 * what a client library will not do, such as pipelining without reading, sending a request a byte at a time or sending
 * one the codec cannot decode. Closes every socket it opened.
 */
public final class RawHttp implements AutoCloseable {
    private final List<Socket> sockets = new ArrayList<>();

    /** A connection to {@code port} on loopback, whose reads give up after 10 s. */
    public Socket connect(int port) throws IOException {
        return connect(null, port);
    }

    /** A connection from {@code from} (an address of loopback; {@code null} for any) to {@code port}. */
    public Socket connect(String from, int port) throws IOException {
        Socket socket = open(from);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** A connection with a small receive buffer, for a test that stops reading it: its answers back up at once. */
    public Socket unread(int port) throws IOException {
        Socket socket = open(null);
        socket.setReceiveBufferSize(4_096);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private Socket open(String from) throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        if (from != null) {
            socket.bind(new InetSocketAddress(from, 0));
        }
        return socket;
    }

    public static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** Writes {@code text} from another thread, as long as the server reads it or until it closes the connection. */
    public static void sendInBackground(Socket socket, String text) {
        CompletableFuture.runAsync(() -> {
            try {
                send(socket, text);
            } catch (IOException closed) {
                // The server ended the connection: what these tests wait for.
            }
        });
    }

    /**
     * Sends {@code request} on a connection whose peer stops reading: once, reading its answer (so the connection is
     * in), then {@code times} more, pipelined from another thread, never read. Returns how far {@code ticker} had to
     * move until {@code closed} held.
     */
    public Duration pipelineUnread(int port, String request, int times, Consumer<Duration> ticker,
                                   Callable<Boolean> closed)
            throws IOException {
        Socket greedy = unread(port);
        send(greedy, request);
        String first = readResponse(greedy);
        if (!first.startsWith("HTTP/1.1 200")) {
            throw new AssertionError("the first request was not answered 200: " + first);
        }
        sendInBackground(greedy, request.repeat(times));
        return advanceUntil(ticker, closed);
    }

    /**
     * Sends {@code request} on a new connection and reads one answer, which must be JSON with {@code Connection: close}
     * and no stack trace; fails unless the server then closes the connection (what was sent after is not answered).
     */
    public String onlyAnswer(int port, String request) throws IOException {
        Socket socket = connect(port);
        send(socket, request);
        String answer = readResponse(socket);
        String lower = answer.toLowerCase(Locale.ROOT);
        if (!lower.contains("content-type: application/json") || !lower.contains("connection: close")
                || answer.contains("Exception") || !closed(socket)) {
            throw new AssertionError("not one JSON answer, then closed: " + answer);
        }
        return answer;
    }

    /**
     * Sends {@code GET path} with a request line over {@code maxRequestLine} bytes, with headers over
     * {@code maxHeaders} bytes (the port's limits) and with a Content-Length that is no number, each on a new
     * connection and followed by a good request; fails unless they are answered 414, 431 and 400 with their JSON
     * errors, and nothing more. Returns the three answers, for the port's own headers.
     */
    public List<String> malformedAreRefused(int port, String path, int maxRequestLine, int maxHeaders)
            throws IOException {
        String next = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        List<String> answers = List.of(
                onlyAnswer(port, "GET " + path + "?" + "q".repeat(maxRequestLine)
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + next),
                onlyAnswer(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: "
                        + "h".repeat(maxHeaders) + "\r\n\r\n" + next),
                onlyAnswer(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: many\r\n\r\n"
                        + next));
        List<String> expected = List.of(
                "HTTP/1.1 414 {\"error\":\"the request line is longer than " + maxRequestLine + " bytes\"}",
                "HTTP/1.1 431 {\"error\":\"the request headers are larger than " + maxHeaders + " bytes\"}",
                "HTTP/1.1 400 {\"error\":\"not a well-formed HTTP request\"}");
        for (int i = 0; i < answers.size(); i++) {
            String answer = answers.get(i);
            if (!expected.get(i).equals(answer.substring(0, 13) + body(answer))) {
                throw new AssertionError("expected " + expected.get(i) + ", got: " + answer);
            }
        }
        return answers;
    }

    /** Reads one response: headers, then Content-Length bytes of body. */
    public static String readResponse(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the end of the headers: " + head);
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** Everything the server sends until it closes the connection (a read timeout fails the test). */
    public static String untilClosed(Socket socket) throws IOException {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Whether the server closed the connection: the end of the stream, or a reset when it left bytes unread. */
    public static boolean closed(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }

    /** The body of a response {@link #readResponse} read. */
    public static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    /** Moves a test's ticker ({@code ticker::advance}) a second at a time until {@code condition} holds; returns how far it moved. */
    public static Duration advanceUntil(Consumer<Duration> ticker, Callable<Boolean> condition) {
        Duration[] moved = {Duration.ZERO};
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            if (condition.call()) {
                return true;
            }
            ticker.accept(Duration.ofSeconds(1));
            moved[0] = moved[0].plusSeconds(1);
            return false;
        });
        return moved[0];
    }

    @Override
    public void close() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
