package dev.mos.audit;

/**
 * Who asks for something: the name of the token it presented (or "anonymous" on a server without tokens, "local"
 * inside the process or on stdio) and the address it came from.
 *
 * @param address null for a caller in the same process or on stdio
 * @param token whether a token vouches for the name
 */
public record Actor(String name, String address, boolean token) {

    /** A caller on stdio or inside the process: the user who started MOS. */
    public static final Actor LOCAL = new Actor("local", null, false);

    /** A caller of a server that asks for no token. */
    public static Actor anonymous(String address) {
        return new Actor("anonymous", address, false);
    }

    /** A caller that presented the named token. */
    public static Actor token(String name, String address) {
        return new Actor(name, address, true);
    }

    /** The token's name, recorded as the sender of what this actor ingests; null when no token was presented. */
    public String sender() {
        return token ? name : null;
    }

    @Override
    public String toString() {
        return address == null ? name : name + " (" + address + ")";
    }
}
