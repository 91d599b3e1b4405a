package io.breakwater.samples.boot;

import io.breakwater.samples.browser.TwoBrowserUsers;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Two people chat through the page of the Boot application, each in a headless Chromium of their own: the
 * samples' browser scenario, on Tomcat and Breakwater. It needs a Chromium and its chromedriver, found as the
 * samples' browser test finds them ({@code CHROME_BIN}, {@code CHROMEDRIVER}, the {@code PATH}; {@code ./test}
 * installs Debian's), and without them it fails, saying what to install: it never skips.
 */
@SpringBootTest(classes = ChatApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChatApplicationBrowserTest {

    @LocalServerPort
    int port;

    @Test
    void twoUsersChatBothWaysAndSeeEachOtherComeAndGo(@TempDir Path profiles) {
        TwoBrowserUsers.chatBothWaysAndSeeEachOtherComeAndGo(URI.create("http://localhost:" + port + "/"), profiles);
    }
}
