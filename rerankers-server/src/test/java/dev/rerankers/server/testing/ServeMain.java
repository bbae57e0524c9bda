package dev.rerankers.server.testing;

import dev.rerankers.server.RerankServer;
import java.time.Duration;

/**
 * A server in a child JVM for the SIGTERM test: serves a slow test-batched model on a free port,
 * prints "PORT n" when ready, and stops gracefully from the shutdown hook (what SIGTERM runs).
 */
public final class ServeMain {
  private ServeMain() {}

  public static void main(String[] args) {
    RerankServer server = RerankServer.builder().host("127.0.0.1").port(0)
        .model("m", "test-batched:m?delayMs=" + args[0]).maxBatchTokens(1)
        .drainTimeout(Duration.ofSeconds(30)).warmup(false).start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("STOPPING inFlight=" + server.inFlight());
      System.out.flush();
      server.stop();
      System.out.println("STOPPED");
      System.out.flush();
    }));
    System.out.println("PORT " + server.port());
    System.out.flush();
    server.awaitStop();
  }
}
