package io.breakwater.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The WAR dropped into a stock Jetty 12.1 base without Breakwater's module (annotations on, so that its
 * initializer runs): Jetty hides its classes from the WAR's Breakwater, which falls back to
 * HttpServletRequest.upgrade, where browsers' connections are lost. It must say so once, at start-up, with the
 * fix; what happens to the connections is Jetty's bug and not asserted here.
 */
class StockJettyWithoutTheModuleIT {

    private static ServerProcess jetty;

    @BeforeAll
    static void start() throws Exception {
        Path home = Stock.jettyHome();
        Path base = Stock.freshDirectory("jetty-base-without-module");
        ServerProcess.Result added = ServerProcess.run(base, List.of(Stock.java(), "-jar",
                home.resolve("start.jar").toString(), "--add-modules=http,ee11-deploy,ee11-annotations"));
        assertEquals(0, added.exitCode(), added.output());
        Files.copy(Stock.war(), base.resolve("webapps").resolve("breakwater-chat.war"));
        int port = Stock.freePort();
        jetty = ServerProcess.start("jetty", base, List.of(Stock.java(), "-jar", home.resolve("start.jar").toString(),
                "jetty.http.port=" + port, "jetty.http.host=127.0.0.1"), Map.of(),
                URI.create("http://127.0.0.1:" + port + "/breakwater-chat/"));
    }

    @AfterAll
    static void stop() {
        if (jetty != null) {
            jetty.close();
        }
    }

    @Test
    void breakwaterWarnsOnceOfThePortableUpgradeAndNamesTheModule() throws Exception {
        String output = jetty.output();
        Matcher warnings = Pattern.compile(Pattern.quote(StockJettyIT.FALLBACK_WARNING)).matcher(output);
        int count = 0;
        while (warnings.find()) {
            count++;
        }
        assertEquals(1, count, output);
        assertTrue(output.contains("WARNING"), output);
        assertTrue(output.contains("without Content-Length"), output);
        assertTrue(output.contains("--add-modules=breakwater"), output);
    }
}
