/**
 * The PyTorch conformance cases and their runner. Jackson is transitive: the runner's API takes
 * and returns Jackson {@code JsonNode}s (the cases are JSON).
 */
module io.vecgrad.conformance {
    requires transitive io.vecgrad.optim;
    requires transitive com.fasterxml.jackson.databind;

    exports io.vecgrad.conformance;
}
