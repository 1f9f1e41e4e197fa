package io.vecgrad.examples;

import io.vecgrad.engine.Kernels;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command-line entry point behind {@code ./vecgrad}: {@code train}, {@code accept} and
 * {@code example} subcommands. Each subcommand is its own picocli command class.
 */
@Command(name = "vecgrad", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "SIMD-vectorized CPU numerics and autograd for the JVM.")
public final class Main implements Runnable {

    /** {@code --version}: the jar's Implementation-Version, the JDK and the kernels in use. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"vecgrad " + io.vecgrad.train.Model.version(),
                "JDK " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
                "kernels: " + Kernels.providerInfo()};
        }
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
        System.out.println();
        System.out.println("kernels: " + Kernels.providerInfo());
    }

    /** Builds the command line with every subcommand registered. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        // one line per subcommand
        cl.addSubcommand(new AcceptCommand());
        cl.addSubcommand(new TrainCommand());
        cl.addSubcommand(new PredictCommand());
        cl.addSubcommand(new ExampleCommand());
        cl.addSubcommand(new SoakCommand());
        oneLineErrors(cl);
        return cl;
    }

    /** A bad option value prints one line naming the option, not the whole usage text. */
    static CommandLine oneLineErrors(CommandLine cl) {
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            String name = c.getCommandSpec().qualifiedName();
            System.err.println(name + ": " + ex.getMessage() + " (see " + name + " --help)");
            return 2;
        });
        return cl;
    }

    /** Runs the CLI and exits with its status. */
    public static void main(String[] args) {
        // an application, not the library: charts render without a display
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }
}
