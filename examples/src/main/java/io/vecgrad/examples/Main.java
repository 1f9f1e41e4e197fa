package io.vecgrad.examples;

import io.vecgrad.engine.Kernels;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command-line entry point behind {@code ./vecgrad}: {@code train}, {@code accept} and
 * {@code example} subcommands. Each subcommand is its own picocli command class.
 */
@Command(name = "vecgrad", mixinStandardHelpOptions = true, version = "vecgrad 0.1.0",
        description = "SIMD-vectorized CPU numerics and autograd for the JVM.")
public final class Main implements Runnable {

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
        return cl;
    }

    /** Runs the CLI and exits with its status. */
    public static void main(String[] args) {
        // an application, not the library: charts render without a display
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }
}
