package io.breakwater.samples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The chat server's command line and environment, as a user writes them. */
class LaunchOptionsTest {

    @Test
    void eightyEightyUnlessTheEnvironmentOrTheOptionSaysOtherwise() {
        assertEquals(8080, LaunchOptions.parse(new String[0], Map.of()).port());
        assertEquals(9090, LaunchOptions.parse(new String[0], Map.of("PORT", "9090")).port());
        assertEquals(7070, LaunchOptions.parse(new String[] {"--port", "7070"}, Map.of("PORT", "9090")).port());
        assertEquals(0, LaunchOptions.parse(new String[] {"--port", "0"}, Map.of()).port());
    }

    @Test
    void everyInterfaceUnlessTheEnvironmentOrTheOptionNamesAHost() {
        assertEquals(Optional.empty(), LaunchOptions.parse(new String[0], Map.of()).host());
        assertEquals(Optional.empty(), LaunchOptions.parse(new String[0], Map.of("HOST", " ")).host());
        assertEquals(Optional.of("127.0.0.1"), LaunchOptions.parse(new String[0], Map.of("HOST", "127.0.0.1")).host());
        LaunchOptions both = LaunchOptions.parse(new String[] {"--host", "::1", "--port", "7070"},
                Map.of("HOST", "192.0.2.1", "PORT", "9090"));
        assertEquals(Optional.of("::1"), both.host());
        assertEquals(7070, both.port());
        assertEquals(Optional.of("localhost"),
                LaunchOptions.parse(new String[] {"--port", "0", "--host", "localhost"}, Map.of()).host());
    }

    @Test
    void mistakesAreNamed() {
        assertEquals("--port needs a number after it.", assertThrows(IllegalArgumentException.class,
                () -> LaunchOptions.parse(new String[] {"--port"}, Map.of())).getMessage());
        assertEquals("Unknown option -p; the options are --host H and --port N.",
                assertThrows(IllegalArgumentException.class,
                        () -> LaunchOptions.parse(new String[] {"-p", "1"}, Map.of())).getMessage());
        assertEquals("Not a port number: \"65536\" (0 to 65535; 0 picks a free one).",
                assertThrows(IllegalArgumentException.class,
                        () -> LaunchOptions.parse(new String[0], Map.of("PORT", "65536"))).getMessage());
        String hostMissing = "--host needs a host name or address after it (127.0.0.1: this machine only).";
        assertEquals(hostMissing, assertThrows(IllegalArgumentException.class,
                () -> LaunchOptions.parse(new String[] {"--port", "1", "--host"}, Map.of())).getMessage());
        assertEquals(hostMissing, assertThrows(IllegalArgumentException.class,
                () -> LaunchOptions.parse(new String[] {"--host", ""}, Map.of("HOST", "127.0.0.1"))).getMessage());
    }
}
