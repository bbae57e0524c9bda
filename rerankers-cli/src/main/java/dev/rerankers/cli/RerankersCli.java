package dev.rerankers.cli;

import dev.rerankers.Catalog;
import dev.rerankers.RerankerException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code rerankers} command line: {@code rank}, {@code resolve}, {@code eval}, {@code models},
 * {@code download} and {@code serve}. Results go to standard output; progress, status and errors to standard
 * error. Exit codes: 0 success, 1 failure (the message says why), 2 bad usage.
 *
 * <p>Run it with {@code bin/rerankers} after building, or embed it with {@link #run}.
 */
@Command(
    name = "rerankers",
    mixinStandardHelpOptions = true,
    versionProvider = RerankersCli.Version.class,
    description = "Rank documents with any reranker, see how a name resolves, and evaluate rerankers on your data.",
    subcommands = {
      RankCommand.class,
      ResolveCommand.class,
      EvalCommand.class,
      ModelsCommand.class,
      DownloadCommand.class,
      ServeCommand.class,
      CommandLine.HelpCommand.class
    })
public final class RerankersCli implements Callable<Integer> {

  private final InputStream stdin;
  private final PrintStream errStream;
  private final boolean interactive;

  @Spec CommandSpec spec;

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Show the library's INFO log lines (type inference, loading) on standard error.")
  boolean verbose;

  RerankersCli(InputStream stdin, PrintStream errStream, boolean interactive) {
    this.stdin = stdin;
    this.errStream = errStream;
    this.interactive = interactive;
  }

  // Held strongly: java.util.logging keeps loggers weakly, and a collected logger loses its level.
  private static final Logger DJL_LOGGER = Logger.getLogger("ai.djl");

  /** Entry point of {@code bin/rerankers}. */
  public static void main(String[] args) {
    if (!hasVerboseFlag(args)) {
      Logger.getLogger("").setLevel(Level.WARNING);
      // DJL warns on every start that a CPU-only machine has no CUDA provider; that is not news here.
      DJL_LOGGER.setLevel(Level.SEVERE);
    }
    int code = run(System.in, System.out, System.err, System.console() != null, args);
    System.exit(code);
  }

  /**
   * Runs one command with the given streams (UTF-8) and returns its exit code. Progress bars are
   * shown only when {@code interactive} (or asked for with {@code --progress}).
   */
  public static int run(InputStream in, PrintStream out, PrintStream err, boolean interactive, String... args) {
    PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    try {
      return commandLine(in, o, e, err, interactive).execute(args);
    } finally {
      o.flush();
      e.flush();
    }
  }

  /** The configured picocli command line. */
  static CommandLine commandLine(
      InputStream in, PrintWriter out, PrintWriter err, PrintStream errStream, boolean interactive) {
    CommandLine cl = new CommandLine(new RerankersCli(in, errStream, interactive));
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          if (ex instanceof RerankerException
              || ex instanceof IllegalArgumentException
              || ex instanceof UnsupportedOperationException) {
            cmd.getErr().println("rerankers " + cmd.getCommandName() + ": " + ex.getMessage());
            return 1;
          }
          throw ex;
        });
    return cl;
  }

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "choose a command: rank, resolve, eval, models, download or serve");
  }

  InputStream stdin() {
    return stdin;
  }

  boolean interactive() {
    return interactive;
  }

  /** Progress bars for a command: on the error stream when asked for, or by default on a terminal. */
  dev.rerankers.cli.eval.Progress.Factory progress(Boolean asked) {
    boolean show = asked != null ? asked : interactive;
    return show ? new ConsoleProgress(errStream) : dev.rerankers.cli.eval.Progress.Factory.none();
  }

  private static boolean hasVerboseFlag(String[] args) {
    for (String a : args) {
      if (a.equals("-v") || a.equals("--verbose")) {
        return true;
      }
    }
    return false;
  }

  /** The library version, from rerankers-core. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"rerankers " + Catalog.version() + " (Java " + Runtime.version() + ")"};
    }
  }
}
