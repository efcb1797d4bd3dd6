package io.switchboard.bench.internal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Runs a local server in a child JVM for {@link ForkedTarget}, so that its heap holds only the server. It
 * announces its ports on standard output and then obeys one-line commands on standard input:
 * {@code memory} (full GC, then heap, direct and connections), {@code exit}. Arguments: kind, threads, whether a
 * gate parks dropped sessions for a resume, and for a cluster's gate or node the registry's connect string. End of input exits too, so the
 * child never outlives the generator.
 */
public final class ServerMain {
    static final String READY = "SWITCHBOARD-BENCH-READY";
    static final String MEMORY = "SWITCHBOARD-BENCH-MEMORY";

    private ServerMain() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int threads = Integer.parseInt(args[1]);
        boolean resume = Boolean.parseBoolean(args[2]);
        try (LocalServer server = LocalServer.start(kind, threads, resume, args.length > 3 ? args[3] : null)) {
            System.out.println(READY + " " + server.port() + " " + server.adminPort());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null && !line.equals("exit"); ) {
                if (line.equals("memory")) {
                    MemorySample m = LocalServer.measureThisJvm(server.connections(), "child JVM");
                    System.out.println(MEMORY + " " + m.heapUsed() + " " + m.directUsed() + " " + m.serverConnections());
                    System.out.flush();
                }
            }
        }
        System.exit(0);
    }
}
