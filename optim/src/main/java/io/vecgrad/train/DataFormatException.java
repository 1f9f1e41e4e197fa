package io.vecgrad.train;

import java.io.IOException;

/** Malformed data input, reported as {@code FILE:LINE:COLUMN: message}. */
public final class DataFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final int column;

    /** A problem at a 1-based line and column of a named input. */
    public DataFormatException(String file, int line, int column, String message) {
        super(file + ":" + line + ":" + column + ": " + message);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    /** The input's name (usually its path). */
    public String file() {
        return file;
    }

    /** 1-based line number. */
    public int line() {
        return line;
    }

    /** 1-based column number. */
    public int column() {
        return column;
    }
}
