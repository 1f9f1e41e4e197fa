/**
 * The VecGrad engine for DJL. DJL's API jar has no module descriptor; its
 * {@code Automatic-Module-Name} is {@code ai.djl.api}, required transitively because this
 * module's classes extend DJL's types. The engine provider is declared both here (module path)
 * and in {@code META-INF/services} (class path).
 */
// DJL publishes only an Automatic-Module-Name; javac warns about depending on one. That is the
// only way to name DJL's API from a module, and its name is stable (set by DJL, not derived).
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.vecgrad.djl {
    requires transitive ai.djl.api;
    requires transitive io.vecgrad.optim;

    exports io.vecgrad.djl;

    provides ai.djl.engine.EngineProvider with io.vecgrad.djl.VgEngineProvider;
}
