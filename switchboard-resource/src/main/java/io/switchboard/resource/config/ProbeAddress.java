package io.switchboard.resource.config;

/**
 * Which address of an endpoint {@code heartbeat_ip} names. The seed's comments on the two are swapped; the field names
 * win (DESIGN §8): {@code inner_ip} is the private address, {@code out_ip} the public one.
 */
public enum ProbeAddress {
    INNER_IP("inner_ip"),
    OUT_IP("out_ip");

    private final String confName;

    ProbeAddress(String confName) {
        this.confName = confName;
    }

    /** The name the conf files use. */
    public String confName() {
        return confName;
    }

    /** The address of that name, or {@code null} when {@code name} is neither. */
    public static ProbeAddress ofConfName(String name) {
        for (ProbeAddress address : values()) {
            if (address.confName.equals(name)) {
                return address;
            }
        }
        return null;
    }
}
