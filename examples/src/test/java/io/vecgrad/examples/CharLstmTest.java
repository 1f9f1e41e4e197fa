package io.vecgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The char-LSTM example, for a few steps: it learns, samples and draws its loss curve. */
class CharLstmTest {

    @Test
    void aFewStepsLowerTheLossAndProduceTextAndAPlot(@TempDir Path dir) {
        ExampleSupport.Run r = ExampleSupport.run(new CharLstm(30, 24, 16, 8), dir);
        double[] loss = r.values("loss");
        assertEquals(30, loss.length);
        double uniform = r.value("uniform_loss");
        // untrained: close to the uniform distribution over the characters
        assertEquals(uniform, loss[0], 0.3, "initial loss");
        double lastFive = 0;
        for (int i = 25; i < 30; i++) {
            assertTrue(Double.isFinite(loss[i]), "loss " + i);
            lastFive += loss[i] / 5;
        }
        assertTrue(lastFive < loss[0] - 0.5, "30 Adam steps lower the loss: " + loss[0] + " -> " + lastFive);
        String sample = r.result().text("sample");
        assertTrue(sample.startsWith("Shall I "), sample);
        assertEquals("Shall I ".length() + 400, sample.length());
        assertEquals(1, r.result().files().size());
        assertTrue(r.printed().contains("--- generated"), r.printed());
        assertTrue(Examples.find("char-lstm").isPresent());
    }
}
