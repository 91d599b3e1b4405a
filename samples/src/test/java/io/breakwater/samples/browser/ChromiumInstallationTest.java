package io.breakwater.samples.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the browser test finds Chromium and chromedriver on a machine laid out in temporary folders: what a
 * developer sets (CHROME_BIN, CHROMEDRIVER, PATH) and what the failure tells them when nothing is there.
 */
class ChromiumInstallationTest {

    @TempDir
    Path machine;

    @Test
    void theVariablesWinOverThePath() throws IOException {
        Path bin = Files.createDirectories(machine.resolve("usr/bin"));
        executable(bin.resolve("chromium"));
        executable(bin.resolve("chromedriver"));
        Path chrome = executable(machine.resolve("opt/chrome/chrome"));
        Path driver = executable(machine.resolve("opt/chrome/chromedriver"));

        ChromiumInstallation found = ChromiumInstallation.find(Map.of("PATH", bin.toString(),
                "CHROME_BIN", chrome.toString(), "CHROMEDRIVER", driver.toString()), List.of());

        assertEquals(new ChromiumInstallation(chrome, driver), found);
    }

    @Test
    void onThePathDebiansNamesComeFirstWhateverTheFolderOrder() throws IOException {
        Path local = Files.createDirectories(machine.resolve("usr/local/bin"));
        Path bin = Files.createDirectories(machine.resolve("usr/bin"));
        executable(local.resolve("google-chrome"));
        executable(local.resolve("chromium.chromedriver"));
        Path chromium = executable(bin.resolve("chromium"));
        Path driver = executable(bin.resolve("chromedriver"));
        // A file that is not executable is no browser.
        Files.writeString(local.resolve("chromium"), "not a program");

        ChromiumInstallation found = ChromiumInstallation.find(
                Map.of("PATH", local + File.pathSeparator + bin), List.of());

        assertEquals(new ChromiumInstallation(chromium, driver), found);
    }

    @Test
    void aMacOsBundleIsFoundWhenThePathHasNoBrowser() throws IOException {
        Path bin = Files.createDirectories(machine.resolve("bin"));
        Path driver = executable(bin.resolve("chromedriver"));
        Path bundle = executable(machine.resolve("Applications/Chromium.app/Contents/MacOS/Chromium"));

        ChromiumInstallation found = ChromiumInstallation.find(Map.of("PATH", bin.toString()), List.of(bundle));

        assertEquals(new ChromiumInstallation(bundle, driver), found);
    }

    @Test
    void nothingInstalledSaysWhatToInstallAndHowToNameIt() {
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> ChromiumInstallation.find(Map.of("PATH", machine.toString()), List.of()));

        String message = missing.getMessage();
        assertTrue(message.contains("No Chromium or Chrome browser was found"), message);
        assertTrue(message.contains("No chromedriver was found"), message);
        assertTrue(message.contains("chromium, chromium-browser, google-chrome, google-chrome-stable"), message);
        assertTrue(message.contains("chromedriver, chromium.chromedriver"), message);
        assertTrue(message.contains("apt-get install chromium chromium-driver"), message);
        assertTrue(message.contains("CHROME_BIN=/path/to/chromium CHROMEDRIVER=/path/to/chromedriver ./test"),
                message);
    }

    @Test
    void aWrongVariableIsAnErrorNotASilentFallback() throws IOException {
        Path bin = Files.createDirectories(machine.resolve("usr/bin"));
        executable(bin.resolve("chromium"));
        executable(bin.resolve("chromedriver"));
        Path typo = machine.resolve("opt/chrome/chrom");

        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> ChromiumInstallation.find(
                Map.of("PATH", bin.toString(), "CHROME_BIN", typo.toString()), List.of()));

        assertTrue(missing.getMessage().contains("CHROME_BIN=" + typo + " is not an executable file."),
                missing.getMessage());
    }

    private static Path executable(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
