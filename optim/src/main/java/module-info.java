/**
 * Optimizers and learning-rate schedules ({@code io.vecgrad.optim}) and training, data and model
 * bundles ({@code io.vecgrad.train}: {@code DataSet}, {@code Datasets}, {@code Trainer},
 * {@code Model}, {@code Predictor}).
 *
 * <p>Autograd (and through it the engine) is a transitive dependency. Commons CSV, Jackson and
 * the SLF4J API are used inside this module only. The bundled data sets are resources of this
 * module: reach them through {@code Datasets}, not through {@code getResourceAsStream}.
 */
module io.vecgrad.optim {
    requires transitive io.vecgrad.autograd;
    requires org.apache.commons.csv;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    // the command-line option set shared by `vecgrad train` and `train --spark`; picocli is an
    // optional dependency, present only where those commands run
    requires static info.picocli;

    exports io.vecgrad.optim;
    exports io.vecgrad.train;
    exports io.vecgrad.train.cli;
    opens io.vecgrad.train.cli to info.picocli;
}
