package dev.mos.audit;

/**
 * Who asks for something: the name of the token it presented and the address it came from.
 *
 * @param address null for a caller in the same process or on stdio
 */
public record Actor(String name, String address) {

    /** A caller on stdio or inside the process: the user who started MOS. */
    public static final Actor LOCAL = new Actor("local", null);

    /** A caller of a server that asks for no token. */
    public static Actor anonymous(String address) {
        return new Actor("anonymous", address);
    }

    @Override
    public String toString() {
        return address == null ? name : name + " (" + address + ")";
    }
}
