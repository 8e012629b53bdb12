package dev.mos.query;

/** Claude-Code-style text (box drawing, icons, emoji status) or plain ASCII for logs and dumb terminals. */
public enum TextStyle {
    CLAUDE_CODE("├─ ", "└─ ", "│  ", "   "),
    PLAIN("|- ", "`- ", "|  ", "   ");

    final String branch;
    final String last;
    final String pipe;
    final String space;

    TextStyle(String branch, String last, String pipe, String space) {
        this.branch = branch;
        this.last = last;
        this.pipe = pipe;
        this.space = space;
    }
}
