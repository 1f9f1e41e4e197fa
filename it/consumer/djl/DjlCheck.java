import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Run by it/consumer/run.sh with the source launcher, vecgrad-djl and its dependencies on the
 * module path: DJL's ServiceLoader (in the automatic module ai.djl.api) must find the VecGrad
 * engine through io.vecgrad.djl's {@code provides} (on the module path META-INF/services of a
 * named module is not read), and it must compute.
 */
public class DjlCheck {
    public static void main(String[] args) {
        Engine e = Engine.getEngine("VecGrad");
        String module = e.getClass().getModule().getName();
        try (NDManager m = e.newBaseManager()) {
            NDArray sum = m.create(new float[] {1, 2, 3}).mul(2).sum();
            float v = sum.getFloat();
            boolean ok = "io.vecgrad.djl".equals(module) && v == 12f;
            System.out.println("djl: " + (ok ? "ok" : "FAILED") + " engine " + e.getEngineName() + " " + e.getVersion()
                    + " from module " + module + ", sum(2 * [1, 2, 3]) = " + v);
            System.exit(ok ? 0 : 1);
        }
    }
}
