package io.breakwater.samples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchOptionsTest {

    @Test
    void eightyEightyUnlessTheEnvironmentOrTheOptionSaysOtherwise() {
        assertEquals(8080, LaunchOptions.parse(new String[0], Map.of()).port());
        assertEquals(9090, LaunchOptions.parse(new String[0], Map.of("PORT", "9090")).port());
        assertEquals(7070, LaunchOptions.parse(new String[] {"--port", "7070"}, Map.of("PORT", "9090")).port());
        assertEquals(0, LaunchOptions.parse(new String[] {"--port", "0"}, Map.of()).port());
    }

    @Test
    void mistakesAreNamed() {
        assertEquals("--port needs a number after it.", assertThrows(IllegalArgumentException.class,
                () -> LaunchOptions.parse(new String[] {"--port"}, Map.of())).getMessage());
        assertEquals("Unknown option -p; the only one is --port N.", assertThrows(IllegalArgumentException.class,
                () -> LaunchOptions.parse(new String[] {"-p", "1"}, Map.of())).getMessage());
        assertEquals("Not a port number: \"65536\" (0 to 65535; 0 picks a free one).",
                assertThrows(IllegalArgumentException.class,
                        () -> LaunchOptions.parse(new String[0], Map.of("PORT", "65536"))).getMessage());
    }
}
