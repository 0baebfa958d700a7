package dev.coord.engine.git;

/** A command line the shell parser cannot follow; the guard allows such a command. */
final class ShellSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    public ShellSyntaxException(String message) {
        super(message);
    }
}
