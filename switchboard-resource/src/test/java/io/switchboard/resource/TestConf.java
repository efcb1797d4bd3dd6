package io.switchboard.resource;

import io.switchboard.common.time.ManualTicker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * A conf directory for server tests, all on loopback: gate (depends on group) has one probed endpoint in sz/s1 on
 * {@code gatePort}; group has unprobed endpoints in sz/s1, sz/s2 and sh/s1, listed far ones first so the order shows.
 */
public final class TestConf {
    static final int GAP_SECONDS = 5;

    private TestConf() {
    }

    public static Path write(Path dir, int gatePort) {
        file(dir, "module.conf", """
                {
                    "module_list": [
                        { "module": "gate", "depend_file": "depend_gate.conf", "idc_file": "idc_gate.conf",
                          "kv_file": "kv_gate.conf" },
                        { "module": "group", "depend_file": "depend_group.conf", "idc_file": "idc_group.conf",
                          "kv_file": "kv_group.conf" }
                    ]
                }
                """);
        file(dir, "depend_gate.conf", "{ \"module\": \"gate\", \"depend_list\": [ { \"module\": \"group\" } ] }");
        file(dir, "depend_group.conf", "{ \"module\": \"group\", \"depend_list\": [] }");
        file(dir, "idc_gate.conf", """
                {
                    "module": "gate",
                    "idc_list": [ { "idc": "sz", "set_list": [ { "set": "s1",
                        "heartbeat": { "heartbeat_ip": "inner_ip", "heartbeat_gap": %d, "lose_time": 2,
                                       "recover_time": 2 },
                        "heartbeat_list": [ { "id": "g1", "inner_ip": "127.0.0.1", "out_ip": "127.0.0.1",
                                              "port": %d } ] } ] } ]
                }
                """.formatted(GAP_SECONDS, gatePort));
        file(dir, "idc_group.conf", """
                {
                    "module": "group",
                    "idc_list": [
                        { "idc": "sh", "set_list": [ { "set": "s1", "service_list": [
                            { "id": "far", "inner_ip": "10.0.2.1", "out_ip": "127.0.0.1", "port": 10201 } ] } ] },
                        { "idc": "sz", "set_list": [
                            { "set": "s1", "service_list": [
                                { "id": "same_idc", "inner_ip": "10.0.1.1", "out_ip": "127.0.0.1", "port": 10202 } ] },
                            { "set": "s2", "service_list": [
                                { "id": "same_set", "inner_ip": "10.0.1.2", "out_ip": "127.0.0.1", "port": 10203 } ] }
                        ] }
                    ]
                }
                """);
        file(dir, "kv_gate.conf", kv("gate", "30"));
        file(dir, "kv_group.conf", "{ \"module\": \"group\", \"kv_list\": [ { \"key\": \"max_users\", \"val\": \"500\" } ] }");
        return dir;
    }

    /** Moves {@code ticker} on by a probe gap, ticks, and waits for the round's {@code probes} probes to finish. */
    public static void probeRound(ResourceServer server, ManualTicker ticker, int probes) throws Exception {
        long before = server.probesCompleted();
        ticker.advance(Duration.ofSeconds(GAP_SECONDS));
        server.tick().sync();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.probesCompleted() == before + probes);
    }

    /** The gate's kv file with {@code timeout} set to {@code timeout}. */
    public static String kv(String module, String timeout) {
        return "{ \"module\": \"" + module + "\", \"kv_list\": [ { \"key\": \"timeout\", \"val\": \"" + timeout
                + "\" } ] }";
    }

    /** Writes {@code text} and moves its modification time on, so a poll sees the change whatever the clock. */
    public static void file(Path dir, String name, String text) {
        try {
            Path file = dir.resolve(name);
            FileTime before = Files.exists(file) ? Files.getLastModifiedTime(file) : FileTime.fromMillis(0);
            Files.writeString(file, text);
            Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 1_000));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
