package dev.coord.server;

/** The version of coord, for the handshake and the command line: a leaf every part of the server may use. */
public final class Version {
    private Version() {}

    /** The version in the jar's manifest, {@code dev} when run from classes. */
    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
