package io.switchboard.protocol.kim;

import io.switchboard.protocol.kim.proto.Flag;
import io.switchboard.protocol.kim.proto.Header;
import io.switchboard.protocol.kim.proto.Status;

import java.util.Arrays;
import java.util.Objects;

/** KIM's logic packet ({@code wire/pkt/packet.go}): a {@link Header} and an opaque body. */
public record LogicPacket(Header header, byte[] body) {
    /** KIM's login command ({@code wire.CommandLoginSignIn}); its body is a {@code LoginReq}. */
    public static final String LOGIN_SIGN_IN = "login.signin";

    public LogicPacket {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(body, "body");
    }

    public static LogicPacket request(String command, int sequence, byte[] body) {
        return new LogicPacket(Header.newBuilder().setCommand(command).setSequence(sequence)
                .setFlag(Flag.Request).build(), body);
    }

    /** The answer to {@code request}: its command, channel, sequence and dest, flag response, and {@code status}. */
    public static LogicPacket response(Header request, Status status, byte[] body) {
        return new LogicPacket(answered(request).setFlag(Flag.Response).setStatus(status).build(), body);
    }

    /**
     * What of {@code request} its answer needs, to keep until the answer: the header itself when it holds nothing
     * else of size, else a copy without its meta and unknown fields. Those are the client's to fill, and cost far more
     * parsed than on the wire (an empty meta is two bytes there, some forty in a parsed header).
     */
    public static Header answerable(Header request) {
        if (request.getMetaCount() == 0 && request.getUnknownFields().getSerializedSize() == 0) {
            return request;
        }
        return answered(request).build();
    }

    /** The fields of {@code request} its answer repeats. */
    private static Header.Builder answered(Header request) {
        return Header.newBuilder().setCommand(request.getCommand()).setChannelId(request.getChannelId())
                .setSequence(request.getSequence()).setDest(request.getDest());
    }

    /** A push ({@code Flag_Push}) of {@code command}. */
    public static LogicPacket push(String command, byte[] body) {
        return new LogicPacket(Header.newBuilder().setCommand(command).setFlag(Flag.Push).build(), body);
    }

    public String command() {
        return header.getCommand();
    }

    public int sequence() {
        return header.getSequence();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogicPacket other && header.equals(other.header) && Arrays.equals(body, other.body);
    }

    @Override
    public int hashCode() {
        return 31 * header.hashCode() + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "LogicPacket(" + header.getCommand() + " #" + header.getSequence() + " " + header.getFlag() + " "
                + header.getStatus() + ", " + body.length + "B)";
    }
}
