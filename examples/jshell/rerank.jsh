// Try rerankers interactively. From the repository root, after building once
// (mvn -B -q -DskipTests package, or only the command line: -pl rerankers-cli -am):
//
//   jshell --class-path rerankers-cli/target/rerankers.jar examples/jshell/rerank.jsh
//
// The command line's jar puts every backend (rerankers-cli/target/lib) on the class path.
// Pick the ranker with -R-Drerankers.spec=SPEC (default: dense, the embedded ONNX bi-encoder).

import dev.rerankers.*;
import dev.rerankers.eval.Metrics;
import java.util.*;

String spec = System.getProperty("rerankers.spec", "dense");
System.out.println("resolving " + spec + ": " + Reranker.resolve(spec));

Reranker ranker = Reranker.load(spec);
System.out.println("loaded " + ranker.info());

RankedResults results = ranker.rank(
    "Who wrote The Old Man and the Sea?",
    List.of(
        "Ernest Hemingway published The Old Man and the Sea in 1952.",
        "The Old Man of Hoy is a sea stack in Orkney, Scotland.",
        "Hemingway received the Nobel Prize in Literature in 1954."));
System.out.println(results);

System.out.println("""

  Now try:
    ranker.rank("your query", List.of("doc one", "doc two"))
    ranker.score("query", "one document")
    Reranker.resolve("colbert?lang=fr")
    ranker.close()       // frees the model
  /exit to leave.
""");
