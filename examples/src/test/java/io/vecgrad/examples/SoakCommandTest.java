package io.vecgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code soak} on a short run: memory stays flat after warm-up and both files are written. */
class SoakCommandTest {
    @TempDir
    Path dir;

    @Test
    void shortSoakIsFlatAndWritesCsvAndPng() throws Exception {
        System.setProperty("java.awt.headless", "true");
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = Main.commandLine().execute("soak", "--steps", "300", "--samples", "3", "--out", dir.toString());
        } finally {
            System.setOut(old);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.contains(": flat"), text);
        assertEquals(5, Files.readAllLines(dir.resolve("soak.csv")).size()); // header + samples at 0, 100, 200, 300
        assertTrue(Files.size(dir.resolve("soak.png")) > 1000);
    }
}
