package io.vecgrad.train.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vecgrad.engine.DType;
import io.vecgrad.nn.Layer;
import io.vecgrad.optim.SGD;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class TrainOptionsTest {
    @Command(name = "t")
    static final class Cmd {
        @Mixin
        TrainOptions opts;
    }

    private static TrainOptions parse(String... args) {
        Cmd c = new Cmd();
        new CommandLine(c).parseArgs(args);
        return c.opts;
    }

    @Test
    void defaultsAndDerivedDefaults() {
        TrainOptions.Checked c = parse().check();
        assertArrayEquals(new int[] {128, 64}, c.hidden());
        assertEquals("relu", c.activation());
        assertEquals(new TrainOptions.OptimizerSpec("adam", 1e-3, 0.9, 0), c.optimizer());
        assertEquals(32, c.batchSize());
        assertEquals(40, c.epochs());
        assertEquals(42, c.seed());
        assertEquals(DType.F32, c.dtype());
        assertEquals(0.05, parse("--optimizer", "MOMENTUM").check().optimizer().lr(), "non-adaptive optimizers default to 0.05");
        assertEquals("momentum", parse("--optimizer", "MOMENTUM").check().optimizer().name());
    }

    @Test
    void eachBadOptionIsNamed() {
        assertEquals("option --optimizer: 'lbfgs' is not one of sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw",
                assertThrows(TrainOptions.UsageException.class, () -> parse("--optimizer", "lbfgs").check()).getMessage());
        assertEquals("option --dtype: 'f16' is not one of f32, f64",
                assertThrows(TrainOptions.UsageException.class, () -> parse("--dtype", "f16").check()).getMessage());
        assertEquals("option --hidden: widths must be >= 1, got [8, 0]",
                assertThrows(TrainOptions.UsageException.class, () -> parse("--hidden", "8,0").check()).getMessage());
        assertEquals("option --lr: must be > 0, got -1.0",
                assertThrows(TrainOptions.UsageException.class, () -> parse("--lr", "-1").check()).getMessage());
        assertEquals("option --momentum: must be in [0, 1), got 1.0",
                assertThrows(TrainOptions.UsageException.class, () -> parse("--momentum", "1").check()).getMessage());
        assertEquals("option --epochs: must be >= 1, got 0",
                assertThrows(TrainOptions.UsageException.class, () -> parse("--epochs", "0").check()).getMessage());
    }

    @Test
    void theCheckedOptionsTravelAndBuildTheSameModelAndOptimizer() throws Exception {
        TrainOptions.Checked c = parse("--hidden", "5", "--activation", "tanh", "--optimizer", "nesterov", "--dtype", "f64")
                .check();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(c);
        }
        TrainOptions.Checked back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (TrainOptions.Checked) in.readObject();
        }
        Layer a = c.mlp(3, 2, new SplittableRandom(1));
        Layer b = back.mlp(3, 2, new SplittableRandom(1));
        assertEquals(4, a.parameters().size());
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(a.parameters().get(i).toDoubleArray(), b.parameters().get(i).toDoubleArray());
        }
        assertInstanceOf(SGD.class, back.optimizer().create(b.parameters()));
        assertEquals("5", back.hiddenText());
    }
}
