package io.switchboard.daemon.router;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.cluster.protocol.ClusterEnvelope;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.daemon.command.CommandResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An authenticated daemon that breaks the protocol loses its own connection, and nothing else. */
class DaemonSessionTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ManualTicker ticker = new ManualTicker();
    private final RouterSettings settings = RouterSettings.defaults().withTicker(ticker);
    private final RouterMetrics metrics = new RouterMetrics(meters, () -> 0);
    private final ConnectedDaemons daemons = new ConnectedDaemons(settings, metrics);
    private final Refusals refusals = new Refusals(metrics, ticker);

    private EmbeddedChannel daemon(String ip) {
        EmbeddedChannel channel = new EmbeddedChannel();
        assertThat(daemons.add(ip, channel)).isTrue();
        channel.pipeline().addLast(new DaemonSession(ip, settings, daemons, refusals));
        return channel;
    }

    private static ClusterEnvelope framed(Envelope envelope) {
        return ClusterEnvelope.of(0, 0, 0, envelope);
    }

    private double refused(String reason) {
        return meters.get("switchboard.router.refusals").tag("reason", reason).counter().count();
    }

    @Test
    void anUnknownRouteClosesOnlyThatDaemon() {
        EmbeddedChannel bad = daemon("127.0.0.2");
        EmbeddedChannel good = daemon("127.0.0.3");

        bad.writeInbound(framed(Envelopes.builder(Kind.REQUEST).requestId(1).route("plane.reboot").build()));

        assertThat(bad.isActive()).isFalse();
        assertThat(good.isActive()).isTrue();
        assertThat(daemons.ips()).containsExactly("127.0.0.3");
        assertThat(refused("protocol")).isEqualTo(1.0);
    }

    @Test
    void aCommandBodyThatIsNotJsonClosesTheDaemon() {
        EmbeddedChannel bad = daemon("127.0.0.2");

        bad.writeInbound(framed(Envelopes.builder(Kind.REQUEST).requestId(1).route(PlaneMessages.COMMAND)
                .payload(new byte[]{'{', 'x'}).build()));

        assertThat(bad.isActive()).isFalse();
        assertThat(refused("protocol")).isEqualTo(1.0);
    }

    @Test
    void aCommandThatDoesNotParseIsABadCommandAndTheDaemonStays() throws Exception {
        EmbeddedChannel sender = daemon("127.0.0.2");

        sender.writeInbound(framed(PlaneMessages.commandFor(5, "127.0.0.3", "ann", "reboot 127.0.0.3")));

        Envelope answer = sender.readOutbound();
        assertThat(Envelopes.requestId(answer)).isEqualTo(5);
        CommandResult result = PlaneMessages.result(answer);
        assertThat(result.outcome()).isEqualTo(CommandResult.Outcome.BAD_COMMAND);
        assertThat(result.message()).contains("unknown command 'reboot'");
        assertThat(sender.isActive()).isTrue();
    }

    @Test
    void onlyStartStopAndKillForTheTargetsOwnIpAreRelayed() throws Exception {
        EmbeddedChannel sender = daemon("127.0.0.2");
        EmbeddedChannel target = daemon("127.0.0.3");
        long id = 10;
        for (String line : List.of("list world", "watch", "list pid 42", "list machine", "list ip 127.0.0.3",
                "stop 127.0.0.4 app")) {
            sender.writeInbound(framed(PlaneMessages.commandFor(++id, "127.0.0.3", "ann", line)));
            Envelope answer = sender.readOutbound();
            assertThat(Envelopes.requestId(answer)).isEqualTo(id);
            assertThat(PlaneMessages.result(answer).outcome()).as(line).isEqualTo(CommandResult.Outcome.BAD_COMMAND);
        }
        assertThat((Object) target.readOutbound()).isNull();
        assertThat(sender.isActive()).isTrue();

        sender.writeInbound(framed(PlaneMessages.commandFor(++id, "127.0.0.3", "ann", "stop 127.0.0.3 app")));
        Envelope relayed = target.readOutbound();
        assertThat(relayed).isNotNull();
        assertThat((Object) sender.readOutbound()).isNull(); // waits for the target's answer
    }

    @Test
    void aDaemonSilentPastTheDeadlineIsDropped() {
        EmbeddedChannel quiet = daemon("127.0.0.2");

        ticker.advance(settings.deadAfter().plus(Duration.ofMillis(1)));
        quiet.advanceTimeBy(settings.checkInterval().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        quiet.runScheduledPendingTasks();

        assertThat(quiet.isActive()).isFalse();
        assertThat(daemons.ips()).isEmpty();
        assertThat(refused("silent")).isEqualTo(1.0);
    }

    private void checkDeadlines(EmbeddedChannel channel) {
        channel.advanceTimeBy(settings.checkInterval().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void nothingIsWrittenToADaemonThatDoesNotReadAndItIsDroppedPastTheDeadline() throws Exception {
        EmbeddedChannel stuck = daemon("127.0.0.2");
        EmbeddedChannel sender = daemon("127.0.0.3");
        // As if its socket buffer and the outbound buffer above the high water mark were full.
        stuck.unsafe().outboundBuffer().setUserDefinedWritability(1, false);

        stuck.writeInbound(framed(Envelopes.ping(0, 1)));
        stuck.writeInbound(framed(PlaneMessages.machinesRequest(2)));
        assertThat((Object) stuck.readOutbound()).isNull();
        sender.writeInbound(framed(PlaneMessages.commandFor(3, "127.0.0.2", "ann", "stop 127.0.0.2 app")));
        CommandResult relayed = PlaneMessages.result(sender.readOutbound());
        assertThat(relayed.outcome()).isEqualTo(CommandResult.Outcome.UNREACHABLE);
        assertThat(relayed.message()).contains("not reading");
        assertThat((Object) stuck.readOutbound()).isNull();
        assertThat(meters.get("switchboard.router.unsent").counter().count()).isEqualTo(3.0);

        // It still pings, so it is not silent; but it reads nothing for deadAfter.
        ticker.advance(settings.deadAfter());
        stuck.writeInbound(framed(Envelopes.ping(0, 2)));
        checkDeadlines(stuck);
        assertThat(stuck.isActive()).isTrue();
        ticker.advance(Duration.ofMillis(1));
        stuck.writeInbound(framed(Envelopes.ping(0, 3)));
        checkDeadlines(stuck);

        assertThat(stuck.isActive()).isFalse();
        assertThat(daemons.ips()).containsExactly("127.0.0.3");
        assertThat(refused("not_reading")).isEqualTo(1.0);
        assertThat(refused("silent")).isZero();
        assertThat((Object) stuck.readOutbound()).isNull();
    }

    @Test
    void aDaemonThatReadsAgainInTimeStays() {
        EmbeddedChannel slow = daemon("127.0.0.2");
        slow.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        ticker.advance(settings.deadAfter().minusMillis(1));
        slow.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        ticker.advance(Duration.ofMillis(2));
        slow.writeInbound(framed(Envelopes.ping(0, 1)));
        checkDeadlines(slow);

        assertThat(slow.isActive()).isTrue();
        assertThat(Envelopes.kind(slow.readOutbound())).isEqualTo(Kind.CONTROL);
        assertThat(refused("not_reading")).isZero();
    }
}
