package dev.mos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TailViewTest {

    @Test
    void errorsAndSlowOperationsWinOverTheActivityColour() {
        assertThat(TailView.colour("├─ 🔧 Bash ❌ 1.2s ← ERROR: exit 2")).startsWith("\033[1;31m");
        assertThat(TailView.colour("├─ 🔧 Read ✅ 812ms 🐢 SLOW (>500ms)")).startsWith("\033[33m");
        assertThat(TailView.colour("└─ 📋 Fix 🔄 3.4s running")).startsWith("\033[36m");
        assertThat(TailView.colour("├─ 🔌 mcp__github__search ✅ 245ms")).startsWith("\033[35m");
        assertThat(TailView.colour("├─ 🔧 Read ✅ 12ms")).startsWith("\033[34m").endsWith("\033[0m");
        assertThat(TailView.colour("Session s1")).isEqualTo("Session s1");
    }

    @Test
    void aTerminalFrameRedrawsInPlaceAndAPipeGetsPlainText() {
        String tree = "Session s1\n└─ 📋 Fix ✅ 1s\n";
        assertThat(new TailView(true).frame(tree)).startsWith("\033[H\033[2J").contains("\033[1m└─ 📋 Fix");
        assertThat(new TailView(false).frame(tree)).isEqualTo(tree);
    }
}
