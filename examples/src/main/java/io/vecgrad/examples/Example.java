package io.vecgrad.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * One worked example or experiment of the course notes, as a runnable program: it prints what
 * the notes print (labelled), corrects the notes where they are wrong, writes the notes'
 * figures as PNG files, and returns its key numbers so a test can check them.
 */
public interface Example {

    /** The command-line name, e.g. {@code f0-08-scalar-graph}; the prefix is the EXAMPLES.md id. */
    String name();

    /** Which lecture note it comes from, e.g. {@code 000}. */
    String note();

    /** One line: what it shows. */
    String description();

    /**
     * Runs the example: prints to {@code out}, writes plots (if any) into {@code outDir}, and
     * returns the numbers it computed.
     */
    Result run(Path outDir, PrintStream out) throws IOException;
}
