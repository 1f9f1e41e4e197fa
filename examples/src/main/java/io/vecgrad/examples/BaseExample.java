package io.vecgrad.examples;

/** Holds the three descriptive strings, so an example class only writes {@code run}. */
abstract class BaseExample implements Example {
    private final String name;
    private final String note;
    private final String description;

    BaseExample(String name, String note, String description) {
        this.name = name;
        this.note = note;
        this.description = description;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String note() {
        return note;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public String toString() {
        return name;
    }
}
